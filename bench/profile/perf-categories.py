#!/usr/bin/env python3
"""Where a `perf script` of slipway spends its CPU, by request stage.

Usage: perf-categories.py PERF_SCRIPT_OUTPUT

Every sample is put in the first stage, in the order below, that has a marker on its stack, so a stage nested in
another (the endpoint runs inside the authorization middleware) is counted where it is spent. Samples whose
stack could not be unwound past native code are put by the library they were in. Needs the server started with
DOTNET_PerfMapEnabled=1 (and DOTNET_EnableWriteXorExecute=0, or JIT frames stay unknown).
"""
import collections
import sys

STAGES = [
    ('auth: token check (BearerTokenHandler, ApiTokenService)', ['ApiTokenService', 'BearerTokenHandler']),
    ('logs: rendering', ['DeploymentLogRenderer']),
    ('response building; logs query and cache (ToResponseAsync)', ['DeploymentReads+<ToResponseAsync', 'DeploymentReads+<RenderLogsAsync', 'RenderedLogCache']),
    ('deployment lookup: SQLite change counter', ['SqliteChangeCounter']),
    ('deployment lookup: EF query', ['CompiledQueryBase', 'DeploymentReads+<FindAsync', 'DeploymentReads::FindAsync']),
    ('EF/SQLite elsewhere (context pool, connections)', ['DbContextPool', 'DbContext+<DisposeAsync', 'SqlitePCL', 'Microsoft.Data.Sqlite', 'EntityFrameworkCore']),
    ('JSON response', ['HttpResultsHelper', 'HttpResponseJsonExtensions', 'System.Text.Json']),
    ('DI scope, request services', ['ServiceProvider', 'RequestServicesFeature']),
    ('auth: framework (authentication service, authorization policy)', ['AuthenticationService', 'PolicyEvaluator', 'DefaultAuthorizationService', 'AuthenticationHandler']),
    ('routing, middleware, endpoint filter, binding', ['RequestDelegateFactory', 'EndpointMiddleware', 'AbilityFilter', 'DeploymentsEndpoints', 'Routing', 'StatusCodePages', 'ExceptionHandler', 'AuthorizationMiddleware', 'AuthenticationMiddleware']),
    ('Kestrel, HTTP parsing, sockets', ['Kestrel', 'System.IO.Pipelines', 'HostingApplication', 'System.Net.Sockets']),
    ('thread pool (dispatch, spinning)', ['LowLevelLifoSemaphore', 'LowLevelSpinWaiter', 'WorkerThreadStart', 'ThreadPoolWorkQueue::Dispatch']),
]
NATIVE = [
    ('SQLite native (not unwound)', 'e_sqlite3'), ('kernel (network syscalls, scheduling)', 'kernel.kallsyms'),
    ('auth: token check (BearerTokenHandler, ApiTokenService)', 'libcrypto'), ('JIT compiler', 'libclrjit'),
    ('runtime native (GC, allocation, stubs)', 'libcoreclr'), ('libc (malloc, memcpy, locks)', 'libc.so'),
]


def stage(stack):
    text = '\n'.join(stack)
    for name, markers in STAGES:
        if any(m in text for m in markers):
            return name
    for name, marker in NATIVE:
        if marker in stack[0]:
            return name
    return 'other'


def main(path):
    counts, stack, total = collections.Counter(), [], 0
    with open(path, errors='replace') as lines:
        for line in list(lines) + ['']:
            if line.startswith(('\t', ' ')) and line.strip():
                stack.append(line.strip())
            elif not line.strip() and stack:
                counts[stage(stack)] += 1
                total += 1
                stack = []
    print(f'| stage | share of CPU samples ({total}) |')
    print('| --- | ---: |')
    for name, count in counts.most_common():
        print(f'| {name} | {100 * count / total:.1f} % |')


if __name__ == '__main__':
    main(sys.argv[1])
