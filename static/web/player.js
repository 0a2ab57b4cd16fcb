// The player: asks the playback API how this browser gets the title (direct or HLS), starts a session, reports
// progress, and draws its own controls over the <video>. Plain JS; hls.js only where the browser lacks native HLS.
(function () {
  "use strict";
  var configNode = document.getElementById("player-config");
  if (!configNode) return;
  var config = JSON.parse(configNode.textContent);
  var HEARTBEAT_MS = 10000;
  var NEXT_COUNTDOWN = 10;
  var FAR_SEEK = 20; // seconds past the buffer: about what the server writes ahead before it restarts there
  var $ = function (id) { return document.getElementById(id); };
  var root = $("player"), video = $("player-video"), controls = $("player-controls");
  var seekbar = $("player-seekbar"), playButton = $("player-play"), muteButton = $("player-mute");
  var volume = $("player-volume"), statusLine = $("player-status");
  var state = { session: null, hls: null, offset: 0, beat: null, stopped: false, choices: {}, hideTimer: null,
    countdown: null, seeking: false, lastPaused: null };

  // The viewer's defaults (Me → Languages and subtitles), applied by the server to this file's tracks: an audio
  // track or a burned-in subtitle is asked of the session; a text subtitle is switched on once the picture shows.
  (function preferred(choices) {
    if (choices.audio_stream !== undefined) state.choices.audio_stream = choices.audio_stream;
    if (choices.subtitle && choices.burn_subtitles) {
      state.choices.subtitle = choices.subtitle;
      state.choices.burn_subtitles = true;
    } else if (choices.subtitle) {
      state.pendingSubtitle = function () { showTextSubtitle(choices.subtitle); };
    }
  })(config.choices || {});

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }

  function api(method, url, body, keepalive) {
    var options = { method: method, credentials: "same-origin", keepalive: !!keepalive,
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
  }

  function say(text) { statusLine.textContent = text; }

  function errorText(answer) {
    var data = answer && answer.data;
    if (data && typeof data.detail === "string") return data.detail;
    if (data && typeof data === "object") {
      var first = Object.keys(data)[0];
      if (first) return first + ": " + [].concat(data[first]).join(" ");
    }
    return "The server answered " + (answer ? answer.status : "nothing") + ".";
  }

  // What this browser plays, in the decision API's names: each codec and container asked of the browser itself.
  function capabilities() {
    var probe = document.createElement("video");
    var mse = window.ManagedMediaSource || window.MediaSource;
    function plays(type) {
      var answer = probe.canPlayType(type);
      return answer === "probably" || answer === "maybe" || !!(mse && mse.isTypeSupported && mse.isTypeSupported(type));
    }
    function pick(table) {
      return Object.keys(table).filter(function (name) { return table[name].some(plays); });
    }
    var containers = pick({
      mp4: ["video/mp4"], webm: ["video/webm"], mkv: ["video/x-matroska", "video/mkv"], mov: ["video/quicktime"],
    });
    var video = pick({
      h264: ['video/mp4; codecs="avc1.640028"', 'video/mp4; codecs="avc1.42E01E"'],
      hevc: ['video/mp4; codecs="hvc1.1.6.L120.90"', 'video/mp4; codecs="hev1.1.6.L120.90"'],
      vp9: ['video/webm; codecs="vp9"', 'video/mp4; codecs="vp09.00.10.08"'],
      av1: ['video/mp4; codecs="av01.0.08M.08"'],
      vp8: ['video/webm; codecs="vp8"'],
    });
    var audio = pick({
      aac: ['audio/mp4; codecs="mp4a.40.2"'], mp3: ["audio/mpeg", 'audio/mp4; codecs="mp4a.40.34"'],
      opus: ['audio/webm; codecs="opus"', 'audio/mp4; codecs="opus"'], flac: ["audio/flac", 'audio/mp4; codecs="flac"'],
      vorbis: ['audio/webm; codecs="vorbis"'], ac3: ['audio/mp4; codecs="ac-3"'], eac3: ['audio/mp4; codecs="ec-3"'],
    });
    var caps = {};
    if (containers.length) caps.containers = containers.join(",");
    if (video.length) caps.video_codecs = video.join(",");
    if (audio.length) caps.audio_codecs = audio.join(",");
    caps.max_audio_channels = 2; // browsers downmix anything else themselves, often badly
    return caps;
  }

  function nativeHls() {
    var native = video.canPlayType("application/vnd.apple.mpegurl");
    var hlsJs = window.Hls && window.Hls.isSupported();
    // Safari plays HLS itself, best; elsewhere hls.js gives the variants and tracks to the menus.
    return !!native && (!hlsJs || /Apple/.test(navigator.vendor || "") || /[?&]hls=native/.test(location.search));
  }

  // --- messages -------------------------------------------------------------------------------------------------
  function showMessage(title, text, retry) {
    $("player-message-title").textContent = title;
    $("player-message-text").textContent = text || "";
    $("player-retry").hidden = !retry;
    $("player-message").hidden = false;
    $("player-busy").hidden = true;
    root.dataset.state = "message";
    $("player-start").hidden = true;
    (retry ? $("player-retry") : $("player-message").querySelector("a")).focus();
  }

  function busy(on) { $("player-busy").hidden = !on; }

  // --- session ----------------------------------------------------------------------------------------------------
  function start(position) {
    $("player-start").hidden = true;
    $("player-message").hidden = true;
    busy(true);
    root.dataset.state = "loading";
    var caps = capabilities();
    var query = new URLSearchParams(Object.assign({ file: config.file }, caps));
    return api("GET", config.api.decision + "?" + query.toString()).then(function (decision) {
      if (!decision.ok) throw { title: "This title cannot be played", text: errorText(decision) };
      var body = Object.assign({ file: config.file, start_position: position, device: "Web browser" }, caps,
        state.choices);
      return api("POST", config.api.sessions, body);
    }).then(function (answer) {
      if (!answer.ok) {
        var title = answer.status === 429 ? "Not now" : "This title cannot be played";
        throw { title: title, text: errorText(answer), retry: answer.status === 429 };
      }
      attach(answer.data, position);
    }).catch(function (problem) {
      if (problem && problem.title) showMessage(problem.title, problem.text, problem.retry);
      else showMessage("Playback failed", "The server could not be reached: " + (problem && problem.message || problem), true);
    });
  }

  function attach(session, position) {
    detach();
    state.session = session;
    state.stopped = false;
    root.dataset.method = session.method;
    root.dataset.session = session.id;
    $("player-method").textContent = { direct: "Direct play", remux: "Direct stream", transcode: "Transcoding" }[session.method] || "";
    $("player-method").title = (session.reasons || []).join("; ");
    controls.hidden = false;
    if (session.direct_url) {
      video.src = session.direct_url;
      addTextTracks();
      video.addEventListener("loadedmetadata", function seekOnce() {
        video.removeEventListener("loadedmetadata", seekOnce);
        if (position) video.currentTime = position;
      });
    } else if (nativeHls() || (window.Hls && window.Hls.isSupported())) {
      playHls(session.master_url, position);
    } else {
      showMessage("This browser cannot play this title", "It needs HLS, which this browser has neither natively nor through Media Source Extensions.");
      return;
    }
    buildMenus();
    video.addEventListener("playing", function once() { video.removeEventListener("playing", once); applyPending(); });
    var playing = video.play();
    if (playing && playing.catch) playing.catch(function (error) {
      if (error && error.name === "NotAllowedError") { busy(false); root.dataset.state = "paused"; showControls(); }
    });
    state.beat = setInterval(heartbeat, HEARTBEAT_MS);
  }

  // HLS from `position`: Safari's own player, else hls.js. Also how a far seek starts again (see seekTo).
  function playHls(url, position) {
    if (state.hls) { state.hls.destroy(); state.hls = null; }
    if (nativeHls()) {
      video.src = url;
      video.addEventListener("loadedmetadata", function seekOnce() {
        video.removeEventListener("loadedmetadata", seekOnce);
        if (position) video.currentTime = position;
        buildMenus();
      });
      return;
    }
    var session = state.session;
    // No Web Worker: each new hls.js (every far seek) started its own on the first fragment, compiling hls.js again
    // on the way to the picture (0.15-0.3 s); turning our short MPEG-TS files into MP4 is a few ms of main thread.
    var hls = new window.Hls({ startPosition: position || 0, enableWorker: false, renderTextTracksNatively: true,
      subtitleDisplay: false, backBufferLength: 60 });
    state.hls = hls;
    hls.on(window.Hls.Events.MANIFEST_PARSED, function (event, data) {
      // A transcode is written as it is fetched, so its download speed says nothing of the network, and each
      // switch of variant restarts the encoder: the session's own variant stays until the viewer picks another.
      // It is the master playlist's first; hls.js sorts its levels by bit rate, so level 0 is the smallest one
      // (asking for it restarted the encoder at 480p, before the first picture and after every far seek).
      // Set here, before hls.js starts loading, it is also the level the first fragment comes from.
      if (session.method === "transcode") hls.loadLevel = data.firstLevel;
      buildMenus();
    });
    hls.on(window.Hls.Events.SUBTITLE_TRACKS_UPDATED, buildMenus);
    hls.on(window.Hls.Events.LEVEL_SWITCHED, buildMenus);
    hls.on(window.Hls.Events.ERROR, function (event, data) {
      if (!data.fatal || hls !== state.hls) return;
      var gone = data.response && data.response.code === 410;
      if (gone || state.stopped) return checkStopped();
      if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR && !state.recovered) {
        state.recovered = true;
        return hls.recoverMediaError();
      }
      checkStopped().then(function (ended) {
        if (!ended) failed("The stream could not be loaded (" + data.details + ").");
      });
    });
    hls.loadSource(url);
    hls.attachMedia(video);
  }

  function detach() {
    clearInterval(state.beat);
    if (state.hls) { state.hls.destroy(); state.hls = null; }
    state.recovered = false;
    Array.prototype.slice.call(video.querySelectorAll("track")).forEach(function (t) { t.remove(); });
    video.removeAttribute("src");
    video.load();
  }

  function sessionUrl(action) { return config.api.sessions + state.session.id + "/" + (action ? action + "/" : ""); }

  function heartbeat() {
    if (!state.session || state.stopped) return;
    api("POST", sessionUrl("progress"), { position: video.currentTime || 0, paused: video.paused }).then(function (answer) {
      if (answer.status === 409 || (answer.data && answer.data.state === "stopped")) checkStopped();
    });
  }

  // The server ended the session (a manager, the idle sweep): say so and by whom, and stop playing.
  function checkStopped() {
    if (!state.session) return Promise.resolve(false);
    return api("GET", sessionUrl("")).then(function (answer) {
      var session = answer.data || {};
      if (answer.ok && session.state !== "stopped") return false;
      var wasOurs = state.stopped;
      state.stopped = true;
      clearInterval(state.beat);
      video.pause();
      if (wasOurs && session.stop_reason === "stopped") return true;
      var who = session.stop_reason === "terminated" ? "Stopped by the server's manager" : "Playback was stopped by the server";
      showMessage(who, session.message || "This playback session has ended.", true);
      return true;
    });
  }

  function report(action, extra) {
    if (!state.session || state.stopped) return Promise.resolve();
    return api("POST", sessionUrl(action), Object.assign({ position: video.currentTime || 0 }, extra || {}), action === "stop");
  }

  function stop() {
    if (!state.session || state.stopped) return;
    report("stop");
    state.stopped = true;
    clearInterval(state.beat);
  }

  function failed(text) {
    stop();
    showMessage("Playback failed", text, true);
  }

  // A change that needs a new session (audio track, burned-in subtitle, a conversion): stop this one, start at the same place.
  function restartWith(choices) {
    var at = video.currentTime || 0;
    stop();
    state.choices = Object.assign({}, state.choices, choices);
    Object.keys(state.choices).forEach(function (k) { if (state.choices[k] === null) delete state.choices[k]; });
    start(at);
  }

  // --- tracks and menus -------------------------------------------------------------------------------------------
  function addTextTracks() {
    config.subtitles.forEach(function (track) {
      if (track.burn) return;
      var node = document.createElement("track");
      node.kind = "subtitles";
      node.label = track.label;
      node.srclang = track.language || "und";
      node.src = track.src;
      node.dataset.key = track.key;
      video.appendChild(node);
    });
  }

  function qualityItems() {
    var hls = state.hls;
    if (hls && hls.levels && hls.levels.length) {
      var items = [{ label: "Auto", checked: hls.autoLevelEnabled, pick: function () { hls.currentLevel = -1; } }];
      hls.levels.forEach(function (level, i) {
        var label = (level.height ? level.height + "p" : level.name || "Level " + (i + 1));
        items.push({ label: label + (level.bitrate ? " · " + (level.bitrate / 1e6).toFixed(1) + " Mb/s" : ""),
          checked: !hls.autoLevelEnabled && hls.currentLevel === i, pick: function () { hls.currentLevel = i; } });
      });
      return items;
    }
    // Direct play and native HLS: the original, or a conversion the server makes (a new session).
    var current = state.choices.profile || "auto";
    var profiles = [["auto", "Auto"], ["original", "Original"], ["1080p", "1080p"], ["720p", "720p"], ["480p", "480p"]];
    profiles = profiles.filter(function (p) { return !/^\d+p$/.test(p[0]) || !config.height || parseInt(p[0], 10) < config.height; });
    return profiles.map(function (p) {
      return { label: p[1], checked: current === p[0], pick: function () { if (current !== p[0]) restartWith({ profile: p[0] }); } };
    });
  }

  function audioItems() {
    var current = state.session && state.session.audio_index;
    return config.audio.map(function (track) {
      return { label: track.label, checked: track.index === current,
        pick: function () { if (track.index !== current) restartWith({ audio_stream: track.index }); } };
    });
  }

  function textTracks() {
    return Array.prototype.filter.call(video.textTracks || [], function (t) { return t.kind === "subtitles" || t.kind === "captions"; });
  }

  function subtitleItems() {
    var items = [], hls = state.hls, burned = state.choices.burn_subtitles ? state.choices.subtitle : "";
    var anyOn = false;
    if (hls && hls.subtitleTracks && hls.subtitleTracks.length) {
      hls.subtitleTracks.forEach(function (track, i) {
        var on = hls.subtitleTrack === i && hls.subtitleDisplay;
        anyOn = anyOn || on;
        items.push({ label: track.name || track.lang || "Track " + (i + 1), checked: on,
          pick: function () { leaveBurn(function () { hls.subtitleTrack = i; hls.subtitleDisplay = true; }); } });
      });
    } else {
      textTracks().forEach(function (track) {
        var on = track.mode === "showing";
        anyOn = anyOn || on;
        items.push({ label: track.label || track.language || "Subtitles", checked: on,
          pick: function () { leaveBurn(function () { textTracks().forEach(function (t) { t.mode = t === track ? "showing" : "disabled"; }); }); } });
      });
    }
    config.subtitles.forEach(function (track) {
      if (!track.burn) return;
      items.push({ label: track.label, checked: burned === track.key,
        pick: function () { if (burned !== track.key) restartWith({ subtitle: track.key, burn_subtitles: true }); } });
    });
    items.unshift({ label: "Off", checked: !anyOn && !burned, pick: function () { leaveBurn(subtitlesOff); } });
    return items;
  }

  // A text subtitle by its key: the <track> of direct play, or the HLS rendition of the same name (or language).
  function showTextSubtitle(key) {
    var wanted = config.subtitles.filter(function (t) { return t.key === key; })[0];
    if (!wanted) return;
    var hls = state.hls;
    if (hls && hls.subtitleTracks && hls.subtitleTracks.length) {
      var index = -1;
      hls.subtitleTracks.forEach(function (t, i) { if (index < 0 && t.name === wanted.label) index = i; });
      hls.subtitleTracks.forEach(function (t, i) { if (index < 0 && wanted.language && t.lang === wanted.language) index = i; });
      if (index >= 0) { hls.subtitleTrack = index; hls.subtitleDisplay = true; }
      return;
    }
    Array.prototype.forEach.call(video.querySelectorAll("track"), function (node) {
      if (node.track) node.track.mode = node.dataset.key === key ? "showing" : "disabled";
    });
  }

  function subtitlesOff() {
    if (state.hls) { state.hls.subtitleDisplay = false; state.hls.subtitleTrack = -1; }
    textTracks().forEach(function (t) { t.mode = "disabled"; });
  }

  // Leaving a burned-in subtitle needs a session without it; anything else switches in place.
  function leaveBurn(then) {
    if (state.choices.burn_subtitles) {
      state.pendingSubtitle = then;
      restartWith({ subtitle: null, burn_subtitles: null });
    } else {
      then();
    }
    setTimeout(buildMenus, 50);
  }

  function buildMenu(name, items) {
    var list = $("player-" + name + "-menu"), button = $("player-" + name + "-button");
    list.textContent = "";
    items.forEach(function (item) {
      var entry = document.createElement("button");
      entry.type = "button";
      entry.setAttribute("role", "menuitemradio");
      entry.setAttribute("aria-checked", item.checked ? "true" : "false");
      entry.className = "player-menu-item";
      entry.tabIndex = -1;
      entry.textContent = item.label;
      entry.addEventListener("click", function () { closeMenus(); item.pick(); button.focus(); setTimeout(buildMenus, 50); });
      list.appendChild(entry);
    });
    button.parentNode.hidden = items.length <= 1;
  }

  function buildMenus() {
    buildMenu("quality", qualityItems());
    buildMenu("audio", audioItems());
    buildMenu("subtitles", subtitleItems());
  }

  // A text subtitle picked while a burned-in one played: chosen once the new session shows its first picture.
  function applyPending() {
    var pending = state.pendingSubtitle;
    state.pendingSubtitle = null;
    if (pending) pending();
    buildMenus();
  }

  function closeMenus(except) {
    document.querySelectorAll(".player-menu-list").forEach(function (list) {
      if (list === except) return;
      list.hidden = true;
      var button = list.parentNode.querySelector("[aria-haspopup]");
      button.setAttribute("aria-expanded", "false");
    });
  }

  document.querySelectorAll(".player-menu [aria-haspopup]").forEach(function (button) {
    var list = $(button.getAttribute("aria-controls"));
    button.addEventListener("click", function () {
      var open = list.hidden;
      closeMenus(list);
      buildMenus();
      list.hidden = !open;
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        var checked = list.querySelector('[aria-checked="true"]') || list.firstElementChild;
        if (checked) checked.focus();
      }
    });
    list.addEventListener("keydown", function (event) {
      var items = Array.prototype.slice.call(list.children), at = items.indexOf(document.activeElement);
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var next = items[(at + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length];
        if (next) next.focus();
      } else if (event.key === "Escape" || event.key === "Tab") {
        closeMenus();
        if (event.key === "Escape") { event.preventDefault(); button.focus(); }
      }
      event.stopPropagation();
    });
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest(".player-menu")) closeMenus();
  });

  // --- controls ---------------------------------------------------------------------------------------------------
  function togglePlay() {
    if (!state.session) return;
    if (state.stopped) return;
    if (video.paused) video.play(); else video.pause();
  }

  function seekTo(seconds) {
    var end = video.duration && isFinite(video.duration) ? video.duration : config.duration || 0;
    seconds = Math.max(0, Math.min(end ? end - 0.5 : seconds, seconds));
    say("Seeking to " + clock(seconds));
    if (farAhead(seconds)) {
      // The server restarts its encoder there; a playlist asked from there names that segment's short parts,
      // so the picture comes back after 2 s of video are encoded instead of a whole segment.
      var playing = !video.paused;
      playHls(state.session.master_url + "?from=" + seconds.toFixed(3), seconds);
      if (playing) video.play().catch(function () {});
      return;
    }
    video.currentTime = seconds;
  }

  // Past what is buffered by more than the server writes ahead anyway: a transcode starts again there.
  function farAhead(seconds) {
    if (!state.session || state.session.method !== "transcode" || !state.session.master_url) return false;
    var last = 0;
    for (var i = 0; i < video.buffered.length; i++) {
      if (seconds >= video.buffered.start(i) && seconds <= video.buffered.end(i)) return false;
      last = Math.max(last, video.buffered.end(i));
    }
    return seconds > Math.max(last, video.currentTime) + FAR_SEEK;
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (root.requestFullscreen) root.requestFullscreen().catch(function () {});
    else if (video.webkitEnterFullscreen) video.webkitEnterFullscreen();
  }

  function toggleSubtitles() {
    var items = subtitleItems();
    var on = items.some(function (item, i) { return i > 0 && item.checked; });
    if (on) items[0].pick();
    else if (items.length > 1 && !config.subtitles.every(function (t) { return t.burn; })) items[1].pick();
    say(on ? "Subtitles off" : "Subtitles on");
  }

  function updateTime() {
    var end = video.duration && isFinite(video.duration) ? video.duration : config.duration || 0;
    if (!state.seeking) seekbar.value = String(Math.floor(video.currentTime || 0));
    seekbar.max = String(Math.floor(end));
    seekbar.setAttribute("aria-valuetext", clock(video.currentTime) + " of " + clock(end));
    $("player-time").textContent = clock(video.currentTime);
    $("player-duration").textContent = clock(end);
  }

  function updateVolume() {
    var muted = video.muted || video.volume === 0;
    muteButton.setAttribute("aria-label", muted ? "Unmute" : "Mute");
    muteButton.querySelector("span").className = muted ? "icon-muted" : "icon-volume";
    volume.value = String(video.muted ? 0 : video.volume);
  }

  function showControls() {
    root.classList.remove("idle");
    clearTimeout(state.hideTimer);
    state.hideTimer = setTimeout(function () {
      if (!video.paused && !root.querySelector(".player-menu-list:not([hidden])")) root.classList.add("idle");
    }, 3000);
  }

  playButton.addEventListener("click", togglePlay);
  video.addEventListener("click", togglePlay);
  video.addEventListener("dblclick", toggleFullscreen);
  $("player-back10").addEventListener("click", function () { seekTo(video.currentTime - 10); });
  $("player-fwd10").addEventListener("click", function () { seekTo(video.currentTime + 10); });
  muteButton.addEventListener("click", function () { video.muted = !video.muted; });
  volume.addEventListener("input", function () { video.volume = Number(volume.value); video.muted = video.volume === 0; });
  seekbar.addEventListener("input", function () { state.seeking = true; $("player-time").textContent = clock(Number(seekbar.value)); });
  seekbar.addEventListener("change", function () { state.seeking = false; seekTo(Number(seekbar.value)); });
  $("player-fullscreen").addEventListener("click", toggleFullscreen);
  var pip = $("player-pip");
  if (!document.pictureInPictureEnabled) pip.hidden = true;
  pip.addEventListener("click", function () {
    if (document.pictureInPictureElement) document.exitPictureInPicture();
    else video.requestPictureInPicture().catch(function (e) { say("Picture in picture is not available: " + e.message); });
  });
  root.addEventListener("mousemove", showControls);
  root.addEventListener("focusin", showControls);

  video.addEventListener("timeupdate", updateTime);
  video.addEventListener("durationchange", updateTime);
  video.addEventListener("volumechange", updateVolume);
  video.addEventListener("waiting", function () { busy(true); });
  video.addEventListener("playing", function () {
    busy(false);
    root.dataset.state = "playing";
    playButton.setAttribute("aria-label", "Pause");
    playButton.querySelector("span").className = "icon-pause";
    if (state.lastPaused === true) report("resume");
    state.lastPaused = false;
    if (!root.dataset.firstFrame) root.dataset.firstFrame = String(performance.now());
    showControls();
  });
  video.addEventListener("pause", function () {
    if (video.ended) return;
    root.dataset.state = "paused";
    playButton.setAttribute("aria-label", "Play");
    playButton.querySelector("span").className = "icon-play";
    if (state.session && !state.stopped && state.lastPaused === false) report("pause");
    state.lastPaused = true;
    showControls();
  });
  video.addEventListener("ended", function () {
    root.dataset.state = "ended";
    playButton.setAttribute("aria-label", "Play");
    playButton.querySelector("span").className = "icon-play";
    stop();
    if (config.next) nextCountdown();
  });
  video.addEventListener("error", function () {
    if (state.hls || state.stopped || !video.getAttribute("src")) return;
    var error = video.error;
    checkStopped().then(function (ended) {
      if (!ended) failed("The browser could not read this stream; the file may be damaged." + (error && error.message ? " (" + error.message + ")" : ""));
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || !state.session) return;
    var target = event.target, tag = target.tagName;
    var onButton = tag === "BUTTON" || tag === "A", onRange = tag === "INPUT";
    var key = event.key;
    if ((key === " " && !onButton && !onRange) || key === "k" || key === "K") { event.preventDefault(); togglePlay(); }
    else if ((key === "ArrowLeft" || key === "ArrowRight") && !onRange) {
      event.preventDefault();
      seekTo(video.currentTime + (key === "ArrowLeft" ? -10 : 10));
    } else if (key === "f" || key === "F") toggleFullscreen();
    else if (key === "m" || key === "M") video.muted = !video.muted;
    else if (key === "c" || key === "C") toggleSubtitles();
    else return;
    showControls();
  });

  // --- next episode -----------------------------------------------------------------------------------------------
  function nextCountdown() {
    var left = NEXT_COUNTDOWN;
    $("player-next-title").textContent = config.next.title;
    $("player-next-count").textContent = String(left);
    $("player-next").hidden = false;
    $("player-next-now").focus();
    state.countdown = setInterval(function () {
      left -= 1;
      $("player-next-count").textContent = String(left);
      if (left <= 0) playNext();
    }, 1000);
  }

  function cancelNext() {
    clearInterval(state.countdown);
    $("player-next").hidden = true;
  }

  // The next episode's page is read for its player settings; the same <video> goes on, so no new click is needed.
  function playNext() {
    cancelNext();
    var url = config.next.url;
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("the next episode is not available (" + response.status + ")");
      return response.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var next = JSON.parse(page.getElementById("player-config").textContent);
      config = next;
      document.title = page.title;
      document.querySelector(".player-title").textContent = next.title;
      history.pushState({}, "", url);
      state.choices = {};
      state.session = null;
      start(0);
    }).catch(function (error) { showMessage("Next episode", error.message, false); });
  }

  $("player-next-now").addEventListener("click", playNext);
  $("player-next-cancel").addEventListener("click", cancelNext);

  // --- start --------------------------------------------------------------------------------------------------------
  document.querySelectorAll("[data-resume-time]").forEach(function (node) { node.textContent = clock(config.resume); });
  document.querySelectorAll("[data-start]").forEach(function (button) {
    button.addEventListener("click", function () { start(button.dataset.start === "resume" ? config.resume : 0); });
  });
  $("player-retry").addEventListener("click", function () { start(video.currentTime || (state.session ? state.session.position : 0) || 0); });
  window.addEventListener("pagehide", stop);
  updateVolume();
  var first = document.querySelector("[data-start]");
  if (first) first.focus();
  if (/[?&]autoplay=1/.test(location.search) && !config.resume) start(0);
})();
