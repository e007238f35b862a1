"""Live reload for ``dazzle dev`` (development only: copied into ``.dazzle/dev/django/``).

``LiveReload`` answers the page script's two paths itself, before any other middleware (so
before the login a page needs): the script, and the status it follows, held until the status
file changes. On the way out it puts the script before ``</body>`` of every HTML page. What it
needs comes in ``DAZZLE_DEV`` (JSON: the status and script files, their paths, the wait).
"""

import json
import os
import time

from django.http import HttpResponse, JsonResponse

CONFIG = json.loads(os.environ["DAZZLE_DEV"])
STEP_S = 0.05


def status():
    try:
        with open(CONFIG["status_file"], encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        data = {}
    return {"build": int(data.get("build", 0)), "error": data.get("error")}


class LiveReload:
    def __init__(self, get_response):
        self.get_response = get_response
        with open(CONFIG["script_file"], encoding="utf-8") as f:
            self.script = f.read()

    def __call__(self, request):
        if request.path == CONFIG["script_path"]:
            return HttpResponse(self.script, content_type="text/javascript; charset=utf-8")
        if request.path == CONFIG["status_path"]:
            return self.held_status(request)
        response = self.get_response(request)
        kind = response.get("Content-Type", "")
        if kind.startswith("text/html") and not response.streaming:
            tag = f'<script src="{CONFIG["script_path"]}" data-build="{status()["build"]}"></script>'
            body = response.content
            at = body.rfind(b"</body>")
            if at != -1:
                response.content = body[:at] + tag.encode() + body[at:]
                if response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(response.content))
        return response

    def held_status(self, request):
        try:
            since = int(request.GET.get("since", "-1"))
        except ValueError:
            since = -1
        deadline = time.monotonic() + CONFIG["wait_s"]
        now = status()
        while now["build"] == since and time.monotonic() < deadline:
            time.sleep(STEP_S)
            now = status()
        answer = JsonResponse(now)
        answer["Cache-Control"] = "no-store"
        return answer
