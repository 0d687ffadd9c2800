// The remote counter's room: WebRTC peer to peer, signaling over /ws/remote/<id>/.
// The branch always makes the offer; the specialist answers. Plain JS, no build step.
// The signaling socket reconnects through static/madoguchi/live-socket.js (loaded first).
(() => {
  "use strict";
  const config = JSON.parse(document.getElementById("room-config").textContent);
  const M = config.messages;
  const $ = (id) => document.getElementById(id);
  const isBranch = config.role === "branch";
  const csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  const remoteVideo = $("remote-video");
  const localVideo = $("local-video");
  let link = null;
  let pc = null;
  let localStream = new MediaStream();
  let pendingIce = [];
  let ended = false;
  let muted = false;
  let cameraOff = false;
  let cameras = [];
  let cameraIndex = 0;
  let disconnectTimer = null;
  let aliveTimer = null;
  let activityTimer = null;

  const status = (text) => { $("call-status").textContent = text; };
  const showError = (text) => { const el = $("call-error"); el.textContent = text; el.hidden = !text; };

  function mediaMessage(e) {
    if (e.name === "NotFoundError" || e.name === "OverconstrainedError") return M.noDevice;
    if (e.name === "NotAllowedError" || e.name === "SecurityError") return M.denied;
    return M.mediaError;
  }

  async function getMedia() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      showError(M.noDevice);
      return;
    }
    try {
      localStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    } catch (e) {
      showError(mediaMessage(e));
      // A missing camera should not cost the voice (or the other way round): try each alone.
      for (const constraints of [{ audio: true }, { video: true }]) {
        try {
          localStream = await navigator.mediaDevices.getUserMedia(constraints);
          break;
        } catch (_ignored) { /* keep receiving only */ }
      }
    }
    localVideo.srcObject = localStream;
    await listCameras();
  }

  async function listCameras() {
    const devices = await navigator.mediaDevices.enumerateDevices();
    cameras = devices.filter((d) => d.kind === "videoinput");
    const current = localStream.getVideoTracks()[0];
    const id = current && current.getSettings().deviceId;
    cameraIndex = Math.max(0, cameras.findIndex((d) => d.deviceId === id));
    const button = $("switch-camera");
    if (button) button.hidden = cameras.length < 2;
  }

  async function switchCamera() {
    const next = (cameraIndex + 1) % cameras.length;
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { deviceId: { exact: cameras[next].deviceId } } });
    } catch (e) {
      showError(mediaMessage(e));
      return;
    }
    const track = stream.getVideoTracks()[0];
    track.enabled = !cameraOff;
    const sender = pc && pc.getSenders().find((s) => s.track && s.track.kind === "video");
    // replaceTrack swaps the source without a renegotiation: the specialist sees the paper at once.
    if (sender) await sender.replaceTrack(track);
    for (const old of localStream.getVideoTracks()) {
      localStream.removeTrack(old);
      old.stop();
    }
    localStream.addTrack(track);
    localVideo.srcObject = localStream;
    cameraIndex = next;
    $("switch-camera").textContent = next === 0 ? M.toDocument : M.toFace;
  }

  function send(kind, data) {
    if (link) link.send({ kind, data });
  }

  function closePeer() {
    if (pc) {
      pc.onicecandidate = pc.ontrack = pc.onconnectionstatechange = pc.oniceconnectionstatechange = null;
      pc.close();
    }
    pc = null;
    pendingIce = [];
  }

  function newPeer() {
    closePeer();
    const peer = new RTCPeerConnection({ iceServers: config.iceServers });
    const remote = new MediaStream();
    remoteVideo.srcObject = remote;
    peer.onicecandidate = (e) => { if (e.candidate) send("ice", e.candidate.toJSON()); };
    peer.ontrack = (e) => { remote.addTrack(e.track); };
    peer.onconnectionstatechange = () => {
      if (peer.connectionState === "connected") {
        status(M.connected);
        send("connected");
      }
    };
    peer.oniceconnectionstatechange = () => {
      const state = peer.iceConnectionState;
      clearTimeout(disconnectTimer);
      if (state === "disconnected" || state === "failed") {
        status(M.reconnecting);
        // "disconnected" often heals by itself within a second or two; then restart ICE.
        if (isBranch) disconnectTimer = setTimeout(restartIce, state === "failed" ? 0 : 2500);
      } else if (state === "connected" || state === "completed") {
        status(M.connected);
      }
    };
    pc = peer;
    return peer;
  }

  function addLocalTracks(peer) {
    for (const kind of ["audio", "video"]) {
      const track = localStream.getTracks().find((t) => t.kind === kind);
      if (track) peer.addTrack(track, localStream);
      else if (isBranch) peer.addTransceiver(kind, { direction: "recvonly" });
    }
  }

  async function startCall() {
    const peer = newPeer();
    addLocalTracks(peer);
    await peer.setLocalDescription(await peer.createOffer());
    send("offer", { sdp: peer.localDescription, fresh: true });
  }

  async function restartIce() {
    if (!pc || ended || !link || !link.isOpen()) return;
    const state = pc.iceConnectionState;
    if (state !== "disconnected" && state !== "failed") return;
    if (pc.signalingState !== "stable") {
      await startCall();
      return;
    }
    await pc.setLocalDescription(await pc.createOffer({ iceRestart: true }));
    send("offer", { sdp: pc.localDescription, fresh: false });
  }

  async function flushIce() {
    for (const c of pendingIce.splice(0)) {
      try { await pc.addIceCandidate(c); } catch (_ignored) { /* a candidate of an older offer */ }
    }
  }

  function peerWorking() {
    return pc && ["connected", "completed", "checking", "new"].includes(pc.iceConnectionState) &&
      pc.connectionState !== "failed";
  }

  async function handle(msg) {
    switch (msg.kind) {
      case "hello":
      case "present":
        if (msg.kind === "hello") send("present", { fresh: !pc });
        if (!isBranch) break;
        // A fresh page on the other side needs a fresh call; a reconnected socket only an ICE check.
        if (msg.data && msg.data.fresh) await startCall();
        else if (!peerWorking()) await (pc ? restartIce() : startCall());
        break;
      case "offer":
        if (isBranch) break;
        if (!pc || msg.data.fresh) {
          newPeer();
          await pc.setRemoteDescription(msg.data.sdp);
          addLocalTracks(pc);
        } else {
          await pc.setRemoteDescription(msg.data.sdp);
        }
        await flushIce();
        await pc.setLocalDescription(await pc.createAnswer());
        send("answer", { sdp: pc.localDescription });
        break;
      case "answer":
        if (isBranch && pc && pc.signalingState === "have-local-offer") {
          await pc.setRemoteDescription(msg.data.sdp);
          await flushIce();
        }
        break;
      case "ice":
        if (pc && pc.remoteDescription) {
          try { await pc.addIceCandidate(msg.data); } catch (_ignored) { /* stale */ }
        } else {
          pendingIce.push(msg.data);
        }
        break;
      case "visit-changed":
        // The other side answered an interview question: re-read the shared visit.
        if (window.htmx) window.htmx.ajax("GET", config.liveUrl, { target: "#live", swap: "innerHTML" });
        break;
      case "ended":
        finish();
        break;
      default:
        break;
    }
  }

  function stopCall() {
    ended = true;
    clearInterval(aliveTimer);
    clearInterval(activityTimer);
    closePeer();
    for (const t of localStream.getTracks()) t.stop();
    remoteVideo.srcObject = null;
    localVideo.srcObject = null;
  }

  function finish() {
    stopCall();
    status(M.ended);
    // The videos and buttons go (no black boxes); the shared visit stays below, and the way on.
    const room = document.querySelector(".room");
    room.classList.add("ended");
    const done = $("call-ended");
    done.querySelector(".text").textContent = isBranch ? M.endedBranch : M.endedSpecialist;
    done.hidden = false;
    if (link) link.close();
  }

  function signedOut(code) {
    // The session ended (or owes the second factor): the call ends here too, since the media
    // would go on peer to peer without the server; the page's reload shows the login or code
    // page and why (madoguchi/middleware.py), as a click would.
    stopCall();
    status(code === 4403 ? M.secondFactor : M.sessionEnded);
    setTimeout(() => location.reload(), 2000);
  }

  function stillWorking() {
    // Talking is work without a click: while the two are connected the page says so to the
    // server, as 「操作を続ける」 does (accounts:keepalive, counted by madoguchi/middleware.py), and
    // idle.js, which asks the server before it warns, stays quiet. A room waiting alone, or
    // whose peer is lost, gets idle like any other screen.
    if (ended || !pc || pc.connectionState !== "connected") return;
    fetch(config.keepalive, {
      method: "POST", headers: { "X-CSRFToken": csrf }, credentials: "same-origin",
    }).catch(() => { /* the server is away: the socket's state says so */ });
  }

  function connectSocket() {
    // Messages are handled one at a time: an ICE candidate must not overtake its offer.
    let chain = Promise.resolve();
    link = window.madoguchiLive(config.ws, {
      onMessage: (msg) => {
        chain = chain.then(() => handle(msg)).catch((err) => console.error("room", err));
      },
      onState: (up) => {
        if (ended) {
          link.close(); // the call is over: no reconnecting after the hang-up
          return;
        }
        if (!up) {
          status(M.reconnecting);
          return;
        }
        status(pc && pc.connectionState === "connected" ? M.connected : M.waiting);
        send("hello", { fresh: !pc });
      },
      beat: 0, // remote/consumers.py sends no heartbeat: a closed socket is the signal
      onRefused: signedOut,
    });
  }

  $("mute").addEventListener("click", (e) => {
    muted = !muted;
    for (const t of localStream.getAudioTracks()) t.enabled = !muted;
    e.target.textContent = muted ? M.unmute : M.mute;
    e.target.setAttribute("aria-pressed", String(muted));
  });
  $("camera").addEventListener("click", (e) => {
    cameraOff = !cameraOff;
    for (const t of localStream.getVideoTracks()) t.enabled = !cameraOff;
    e.target.textContent = cameraOff ? M.cameraOn : M.cameraOff;
    e.target.setAttribute("aria-pressed", String(cameraOff));
  });
  if ($("switch-camera")) $("switch-camera").addEventListener("click", switchCamera);
  $("hangup-form").addEventListener("submit", () => { ended = true; closePeer(); });
  window.addEventListener("online", () => { if (pc && isBranch) restartIce(); });

  // For the browser test and for support staff: the live connection, to read its stats.
  window.madoguchiRoom = {
    peer: () => pc, role: config.role, socketOpen: () => !!link && link.isOpen(), cameras: () => cameras.length,
  };

  // The page says it is still open: a call both of whose pages fell silent (closed without
  // 終了) is ended by the server (remote/services.py end_stale).
  aliveTimer = setInterval(() => send("alive"), config.aliveSeconds * 1000);
  activityTimer = setInterval(stillWorking, config.activitySeconds * 1000);
  if (navigator.mediaDevices && navigator.mediaDevices.addEventListener) {
    // A document camera plugged in (or out) during the call shows (or hides) the switch.
    navigator.mediaDevices.addEventListener("devicechange", () => { if (!ended) listCameras(); });
  }

  status(M.connecting);
  getMedia().then(connectSocket);
})();
