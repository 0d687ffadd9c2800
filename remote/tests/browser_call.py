"""Two Chromium pages make a remote call; run inside the test's network namespace.

Usage (by test_browser_call.py): ip netns exec NS python browser_call.py '<json args>'
Prints "media-flowing" and waits for a line on stdin (the test restarts the server meanwhile),
then one JSON line: what each side's RTCPeerConnection received, and whether the branch page
saw the specialist's interview answer.
"""

import json
import sys
import time

from playwright.sync_api import sync_playwright


def until(page, fn: str, arg=None, timeout: float = 10):
    """page.wait_for_function without its eval() in the page (the Content-Security-Policy
    forbids it): evaluate() runs through the DevTools protocol, which the policy allows."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(fn, arg):
        if time.monotonic() > deadline:
            raise TimeoutError(f"not true after {timeout} s: {fn}")
        time.sleep(0.1)


STATS = """async () => {
  const pc = window.madoguchiRoom && window.madoguchiRoom.peer();
  if (!pc) return null;
  const out = {state: pc.connectionState, video: null, audio: null};
  (await pc.getStats()).forEach((s) => {
    if (s.type === "inbound-rtp") out[s.kind] = {bytesReceived: s.bytesReceived || 0,
      framesDecoded: s.framesDecoded || 0, framesReceived: s.framesReceived || 0};
  });
  return out;
}"""


def flowing(stats) -> bool:
    return bool(
        stats
        and stats["video"]
        and stats["audio"]
        and stats["video"]["bytesReceived"] > 0
        and stats["video"]["framesDecoded"] > 0
        and stats["audio"]["bytesReceived"] > 0
    )


def main(args):
    result = {"logs": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args["chromium"], args=args["chromium_args"])

        def page_for(session):
            context = browser.new_context(locale="ja-JP", base_url=args["base"])
            context.add_cookies([{"name": "sessionid", "value": session, "url": args["base"]}])
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.on("console", lambda m: result["logs"].append(f"{m.type}: {m.text}"))
            return page

        specialist, branch = (
            page_for(args["sessions"]["hoken"]),
            page_for(args["sessions"]["shisho"]),
        )
        room = f"/remote/{args['consultation']}/"
        specialist.goto("/remote/lobby/")
        specialist.click(f"tr[data-consultation='{args['consultation']}'] button.admit")
        specialist.wait_for_url(f"**{room}")
        branch.goto(f"/visits/{args['visit']}/")
        branch.click("#remote-join")
        branch.wait_for_url(f"**{room}")

        deadline = time.monotonic() + 25
        while time.monotonic() < deadline:
            result["branch"], result["specialist"] = (
                branch.evaluate(STATS),
                specialist.evaluate(STATS),
            )
            if flowing(result["branch"]) and flowing(result["specialist"]):
                break
            time.sleep(0.3)
        result["status"] = branch.text_content("#call-status")
        if not (flowing(result["branch"]) and flowing(result["specialist"])):
            raise SystemExit(json.dumps(result, ensure_ascii=False))

        # The test restarts the server now: both sockets drop and come back by themselves,
        # while the media, peer to peer, keeps flowing.
        before = branch.evaluate(STATS)["video"]["bytesReceived"]
        print("media-flowing", flush=True)
        sys.stdin.readline()
        for page in (branch, specialist):
            until(page, "() => window.madoguchiRoom.socketOpen()", timeout=15)
        time.sleep(0.5)
        after = branch.evaluate(STATS)
        result["after_drop"] = {
            "state": after["state"],
            "more_video": after["video"]["bytesReceived"] > before,
            "status": branch.text_content("#call-status"),
        }

        # The document camera: the branch swaps the sent video, the specialist keeps receiving.
        # Chromium's second fake camera is a 16-bit depth camera, which WebRTC does not send; the
        # third is an ordinary one, so the branch switches twice.
        branch.wait_for_selector("#switch-camera:not([hidden])", timeout=5_000)
        sent = (
            "() => window.madoguchiRoom.peer().getSenders().find((s) => s.track && s.track.kind === 'video')"
            ".track.label"
        )
        for _step in range(2):
            camera = branch.evaluate(sent)
            branch.click("#switch-camera")
            until(branch, f"(before) => ({sent})() !== before", arg=camera, timeout=5)
        frames = specialist.evaluate(STATS)["video"]["framesDecoded"]
        deadline = time.monotonic() + 8
        while (
            specialist.evaluate(STATS)["video"]["framesDecoded"] <= frames + 5
            and time.monotonic() < deadline
        ):
            time.sleep(0.2)  # wait_for_function does not await a promise: poll getStats from here
        result["document_camera"] = {
            "sending": branch.evaluate(sent),
            "label": branch.text_content("#switch-camera"),
            "frames_after_switch": specialist.evaluate(STATS)["video"]["framesDecoded"] - frames,
        }

        # The specialist answers an interview question; the branch's screen follows.
        specialist.click(".qgroup[data-fact='new_dwelling'] button.choice[data-value='false']")
        try:
            branch.wait_for_selector(
                ".qgroup[data-fact='new_dwelling']", state="detached", timeout=8_000
            )
            result["answer_seen_at_branch"] = True
        except Exception:
            result["answer_seen_at_branch"] = False
        # The specialist hangs up: the branch's room says so (no black video boxes) and keeps
        # the shared visit; an answer the branch gives now is saved to its visit.
        specialist.click("#hangup")
        specialist.wait_for_url("**/remote/lobby/")
        branch.wait_for_selector("#call-ended:not([hidden])", timeout=8_000)
        result["branch_saw_end"] = {
            "status": branch.text_content("#call-status"),
            "message": branch.text_content("#call-ended .text"),
            "videos_visible": branch.is_visible(".room .videos"),
            "hangup_visible": branch.is_visible("#hangup"),
        }
        choice = branch.locator(".qgroup button.choice:not(.unknown):not(.all-no)").first
        row = choice.evaluate(
            "(b) => [b.closest('.q').dataset.fact, b.closest('.q').dataset.person]"
        )
        result["answered_after_end"] = row[0]
        choice.click()
        branch.wait_for_selector("#live p.error[role=alert]", timeout=8_000)
        result["after_end_message"] = branch.text_content("#live p.error[role=alert]")
        result["after_end_still_asked"] = branch.locator(
            f".q[data-fact='{row[0]}'][data-person='{row[1]}']"
        ).count()  # one person's row of the question: answered, it is no longer asked
        result["visit_on_screen"] = branch.is_visible("#live #procedures")
        browser.close()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
