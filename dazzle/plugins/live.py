"""What open pages run under ``dazzle dev``, whatever the stack: ``LIVE_JS``, which a stack's dev
server serves at ``SCRIPT_PATH`` and loads into every HTML page it sends, as
``<script src="/__dazzle__/live.js" data-build="N">`` before ``</body>`` (N: the number in the
status file when the page was made), and the ``STATUS_PATH`` answer it follows: the status
file's JSON, ``{"build": n, "error": text or null}``, at once when ``?since=`` differs from n,
else once it does (or after ``WAIT_S``).

The page knows the build it was rendered after (``data-build``). It asks the status at once,
then again and again, each ask held by the server until the status changes (or ``WAIT_S``
passes): a newer good build reloads the page; a failed one shows its text as an overlay, which
the next good build takes away (by reloading). While the server restarts the asks fail; the
page keeps asking and reloads once the server answers with the new build; after five seconds
without an answer it says so over the page.
"""

from __future__ import annotations

SCRIPT_PATH = "/__dazzle__/live.js"
STATUS_PATH = "/__dazzle__/status"
WAIT_S = 20  # how long the server holds an ask whose answer has not changed
OVERLAY_ID = "dazzle-dev-overlay"

LIVE_JS = """\
// dazzle dev: reload this page after each build; show a failed build's error over it.
(function () {
  var me = document.currentScript;
  var build = Number(me.getAttribute("data-build"));
  var first = true;
  var failures = 0;
  function overlay(text) {
    var box = document.getElementById("%(id)s");
    if (text === null) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "%(id)s";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(24,24,28,.96);color:#f4f4f5;padding:2rem;font:14px/1.5 ui-monospace,monospace";
      var title = document.createElement("div");
      title.style.cssText = "color:#fca5a5;font-weight:bold;margin-bottom:1rem";
      title.textContent = "dazzle dev";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0";
      box.appendChild(title);
      box.appendChild(pre);
      document.body.appendChild(box);
    }
    box.querySelector("pre").textContent = text;
  }
  function ask() {
    var since = first ? -1 : build;
    fetch("%(status)s?since=" + since, {cache: "no-store", credentials: "same-origin"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (s) {
        first = false;
        if (failures >= %(patience)d && s.error === null) { location.reload(); return; }
        failures = 0;
        if (s.error !== null) { build = s.build; overlay(s.error); ask(); }
        else if (s.build !== build) { location.reload(); }
        else { overlay(null); ask(); }
      })
      .catch(function () {
        failures += 1;  // the server restarts, or stopped: after a while, say so
        if (failures === %(patience)d) overlay("The app's server is not answering: see the terminal running dazzle dev.");
        setTimeout(ask, 200);
      });
  }
  ask();
})();
""" % {"id": OVERLAY_ID, "status": STATUS_PATH, "patience": 25}
