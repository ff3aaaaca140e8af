// The deployment page's live log: the only script of the dashboard. It follows the log's event stream
// (GET /api/v1/deployments/{uuid}/logs, Accept: text/event-stream, authorized by the session cookie) from the
// last line the page was rendered with. EventSource resumes after a dropped connection with Last-Event-ID, the
// last line it received, so no line is lost or repeated; a hidden tab keeps its connection. Lines are built
// with textContent and a fixed set of class names (AnsiHtml does the same on the server): output from a build
// is never parsed as markup.
(function () {
  "use strict";

  var TERMINAL = { "finished": true, "failed": true, "cancelled-by-user": true };

  function ansiSpans(line) {
    // [{text, classes}] for a line with SGR colour sequences; every other escape sequence is dropped.
    var parts = [];
    var style = reset();
    var text = "";
    var i = 0;
    while (i < line.length) {
      var c = line.charCodeAt(i);
      if (c !== 27) { text += line[i++]; continue; }
      var j = i + 1;
      if (line[j] === "[") {
        j++;
        var start = j;
        while (j < line.length && line.charCodeAt(j) >= 0x30 && line.charCodeAt(j) <= 0x3f) { j++; }
        var params = line.slice(start, j);
        while (j < line.length && line.charCodeAt(j) >= 0x20 && line.charCodeAt(j) <= 0x2f) { j++; }
        if (j < line.length) {
          if (line[j] === "m") {
            if (text) { parts.push({ text: text, classes: classes(style) }); text = ""; }
            style = apply(style, params);
          }
          j++;
        }
      } else if (line[j] === "]") {
        j++;
        while (j < line.length && line.charCodeAt(j) !== 7 && !(line.charCodeAt(j) === 27 && line[j + 1] === "\\")) { j++; }
        j = j >= line.length ? j : line.charCodeAt(j) === 7 ? j + 1 : j + 2;
      } else if (j < line.length) {
        j++;
      }
      i = j;
    }
    if (text) { parts.push({ text: text, classes: classes(style) }); }
    return parts;
  }

  function reset() { return { fg: -1, bg: -1, bold: false, dim: false, italic: false, underline: false }; }

  function apply(style, params) {
    var codes = params.length === 0 ? [0] : params.split(";").map(function (p) { return /^[0-9]+$/.test(p) ? parseInt(p, 10) : 0; });
    var s = Object.assign({}, style);
    for (var k = 0; k < codes.length; k++) {
      var code = codes[k];
      if (code === 0) { s = reset(); }
      else if (code === 1) { s.bold = true; }
      else if (code === 2) { s.dim = true; }
      else if (code === 3) { s.italic = true; }
      else if (code === 4) { s.underline = true; }
      else if (code === 22) { s.bold = false; s.dim = false; }
      else if (code === 23) { s.italic = false; }
      else if (code === 24) { s.underline = false; }
      else if (code >= 30 && code <= 37) { s.fg = code - 30; }
      else if (code === 39) { s.fg = -1; }
      else if (code >= 40 && code <= 47) { s.bg = code - 40; }
      else if (code === 49) { s.bg = -1; }
      else if (code >= 90 && code <= 97) { s.fg = code - 90 + 8; }
      else if (code >= 100 && code <= 107) { s.bg = code - 100 + 8; }
      else if (code === 38 || code === 48) { k += codes[k + 1] === 5 ? 2 : codes[k + 1] === 2 ? 4 : 0; }
    }
    return s;
  }

  function classes(s) {
    var list = [];
    if (s.fg >= 0) { list.push("a-f" + s.fg); }
    if (s.bg >= 0) { list.push("a-b" + s.bg); }
    if (s.bold) { list.push("a-bold"); }
    if (s.dim) { list.push("a-dim"); }
    if (s.italic) { list.push("a-italic"); }
    if (s.underline) { list.push("a-underline"); }
    return list.join(" ");
  }

  function lineElement(entry) {
    var li = document.createElement("li");
    li.setAttribute("data-order", String(entry.order));
    if (entry.type === "stderr") { li.className = "stderr"; }
    ansiSpans(entry.output).forEach(function (part) {
      if (part.classes) {
        var span = document.createElement("span");
        span.className = part.classes;
        span.textContent = part.text;
        li.appendChild(span);
      } else {
        li.appendChild(document.createTextNode(part.text));
      }
    });
    return li;
  }

  function follow(log) {
    if (log.getAttribute("data-following") === "1") { return; }
    log.setAttribute("data-following", "1");
    var status = document.getElementById("deployment-status");
    var live = document.getElementById("log-live");
    var after = parseInt(log.getAttribute("data-after") || "0", 10);
    // Follows the tail unless the reader scrolled up; scrolling back to the bottom follows again.
    var atBottom = true;
    log.addEventListener("scroll", function () { atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 24; });
    log.scrollTop = log.scrollHeight;

    var source = new EventSource(log.getAttribute("data-stream") + "?after=" + after);
    window.addEventListener("pagehide", function () { source.close(); log.setAttribute("data-following", "0"); }, { once: true });
    source.addEventListener("entry", function (event) {
      var entry = JSON.parse(event.data);
      if (entry.order <= after) { return; }
      after = entry.order;
      log.setAttribute("data-after", String(after));
      if (entry.hidden) { return; }
      log.appendChild(lineElement(entry));
      if (atBottom) { log.scrollTop = log.scrollHeight; }
    });
    source.addEventListener("status", function (event) {
      var value = JSON.parse(event.data).status;
      if (status) {
        status.textContent = value;
        status.className = "status s-" + value;
      }
      if (TERMINAL[value]) {
        // The stream ends after the terminal status: nothing follows it, so do not reconnect.
        source.close();
        log.setAttribute("data-complete", "1");
        if (live) { live.textContent = "The deployment " + (value === "finished" ? "finished." : value === "failed" ? "failed." : "was cancelled."); }
        var cancel = document.getElementById("cancel-form");
        if (cancel) { cancel.hidden = true; }
      }
    });
  }

  function start() {
    var log = document.getElementById("log");
    if (log && log.getAttribute("data-stream") && log.getAttribute("data-complete") !== "1") { follow(log); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
  // A page restored from the back/forward cache runs no script again: pick the stream up where it was.
  window.addEventListener("pageshow", function (event) { if (event.persisted) { start(); } });
})();
