// Deploys an application and waits for the outcome through a client generated from Slipway's OpenAPI document
// (GeneratedClientTests writes it into ./client with @hey-api/openapi-ts, then compiles this file with tsc).
// Environment: SLIPWAY_URL, SLIPWAY_TOKEN, APP_UUID. Exit code: 0 finished, 2 another terminal status, 1 an error.
import { client } from './client/client.gen';
import { deployByTagOrUuid, getDeploymentByUuid } from './client/sdk.gen';
import type { DeploymentResponse } from './client/types.gen';

const terminal = ['finished', 'failed', 'cancelled-by-user'];

async function main(): Promise<number> {
  client.setConfig({ baseUrl: required('SLIPWAY_URL'), auth: () => required('SLIPWAY_TOKEN') });

  const queued = await deployByTagOrUuid({ query: { uuid: required('APP_UUID'), force: 'true' } });
  if (queued.data === undefined || !('deployments' in queued.data)) {
    console.error(`deploy: HTTP ${queued.response.status}`, JSON.stringify(queued.error ?? queued.data));
    return 1;
  }

  const deploymentUuid = queued.data.deployments[0]?.deployment_uuid;
  if (!deploymentUuid) {
    console.error('deploy: nothing was queued', JSON.stringify(queued.data));
    return 1;
  }

  console.log(`queued ${deploymentUuid}`);
  let deployment: DeploymentResponse | undefined;
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    // The long-poll: answered as soon as the status is no longer the one already seen.
    const read = await getDeploymentByUuid({ path: { uuid: deploymentUuid }, query: { wait: '20', status: deployment?.status ?? 'queued' } });
    if (read.data === undefined) {
      console.error(`read: HTTP ${read.response.status}`, JSON.stringify(read.error));
      return 1;
    }

    deployment = read.data;
    console.log(`status ${deployment.status}`);
    if (terminal.includes(deployment.status)) {
      break;
    }
  }

  console.log(`final ${deployment?.status} commit ${deployment?.commit}`);
  return deployment?.status === 'finished' ? 0 : 2;
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set`);
  }

  return value;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
