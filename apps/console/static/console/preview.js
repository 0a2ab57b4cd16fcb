/* The console's preview player: starts a playback session as the operator through the playback API, plays it
   (hls.js for HLS, the file itself for direct play), and stops the session when closed or when the page goes. */
(function () {
  "use strict";
  const box = document.querySelector("[data-preview]");
  if (!box) return;
  const stage = box.querySelector(".cm-preview-stage");
  const video = box.querySelector("video");
  const state = box.querySelector(".cm-preview-state");
  const token = box.querySelector("input[name=csrfmiddlewaretoken]").value;
  const sessions = box.dataset.sessions;
  const HEARTBEAT_MS = 10000;
  let session = null;
  let hls = null;
  let beat = null;

  function post(url, body, keepalive) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: Boolean(keepalive),
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body || {}),
    });
  }

  function position() {
    return Number.isFinite(video.currentTime) ? video.currentTime : 0;
  }

  function detach() {
    clearInterval(beat);
    if (hls) {
      hls.destroy();
      hls = null;
    }
    video.removeAttribute("src");
    video.load();
  }

  function stop(keepalive) {
    if (!session) return Promise.resolve();
    const id = session.id;
    const at = position();
    session = null;
    delete box.dataset.session;
    detach();
    return post(sessions + id + "/stop/", { position: at }, keepalive).catch(() => {});
  }

  async function start(fileId, name) {
    await stop();
    stage.hidden = false;
    state.textContent = "Starting " + name + "…";
    let answer;
    try {
      answer = await post(sessions, { file: Number(fileId), device_profile: "browser", device: "Console preview" });
    } catch (error) {
      state.textContent = "Could not reach the server: " + error.message;
      return;
    }
    const body = await answer.json().catch(() => ({}));
    if (!answer.ok) {
      state.textContent = "Could not start: " + (body.detail || "the server answered " + answer.status);
      return;
    }
    session = body;
    box.dataset.session = body.id;
    box.dataset.method = body.method;
    if (body.master_url && window.Hls && window.Hls.isSupported()) {
      hls = new window.Hls();
      hls.on(window.Hls.Events.ERROR, (event, data) => {
        if (data.fatal) state.textContent = "Playback failed: " + data.details;
      });
      hls.loadSource(body.master_url);
      hls.attachMedia(video);
    } else {
      video.src = body.master_url || body.direct_url;
    }
    state.textContent = (body.method === "direct" ? "Direct play: " : "HLS (" + body.method + "): ") + name;
    video.play().catch(() => {
      state.textContent += " · press play to start";
    });
    beat = setInterval(() => {
      if (session) post(sessions + session.id + "/progress/", { position: position(), paused: video.paused });
    }, HEARTBEAT_MS);
  }

  document.querySelectorAll("[data-preview-file]").forEach((button) => {
    button.addEventListener("click", () => start(button.dataset.previewFile, button.dataset.previewName));
  });
  box.querySelector("[data-preview-close]").addEventListener("click", () => {
    stop().then(() => {
      stage.hidden = true;
      state.textContent = "";
      box.dataset.closed = "1";
    });
  });
  window.addEventListener("pagehide", () => stop(true));
})();
