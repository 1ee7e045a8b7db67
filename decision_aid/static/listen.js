// "Listen" (issue 27): reads the page's main text aloud with the browser's own speech synthesis
// (the Web Speech API), in the page's language, with Pause and Stop. Nothing is sent anywhere.
// The controls stay hidden unless the browser has a voice for the page's language.
(function () {
  "use strict";
  var box = document.querySelector("[data-listen-for]");
  var synth = window.speechSynthesis;
  if (!box || !synth || typeof window.SpeechSynthesisUtterance !== "function") { return; }
  var language = (document.documentElement.lang || "en").toLowerCase();
  var base = language.split("-")[0];
  var listen = box.querySelector("[data-listen-start]");
  var pause = box.querySelector("[data-listen-pause]");
  var stop = box.querySelector("[data-listen-stop]");
  var status = box.querySelector("[data-listen-status]");
  var voice = null;

  var findVoice = function () {
    var voices = synth.getVoices() || [];
    var exact = null, near = null;
    voices.forEach(function (v) {
      var lang = (v.lang || "").toLowerCase().replace("_", "-");
      if (lang === language && !exact) { exact = v; }
      if (lang.split("-")[0] === base && !near) { near = v; }
    });
    voice = exact || near;
    box.hidden = !voice;
  };

  // The text as the page shows it, in sentence-sized pieces (long utterances stop early in
  // some browsers), without the controls' own words.
  var pieces = function () {
    var target = document.querySelector(box.getAttribute("data-listen-for"));
    if (!target) { return []; }
    var text = target.innerText.replace(box.innerText, " ");
    var parts = [];
    text.split(/\n+/).forEach(function (line) {
      var words = line.trim();
      if (!words) { return; }
      (words.match(/[^.!?。！？]+[.!?。！？]*/g) || [words]).forEach(function (sentence) {
        if (sentence.trim()) { parts.push(sentence.trim()); }
      });
    });
    return parts;
  };

  var playing = function (on) {
    pause.hidden = !on;
    stop.hidden = !on;
    pause.textContent = pause.getAttribute("data-pause-label");
  };

  listen.addEventListener("click", function () {
    synth.cancel();
    var parts = pieces();
    parts.forEach(function (words, index) {
      var utterance = new window.SpeechSynthesisUtterance(words);
      utterance.lang = voice.lang;
      utterance.voice = voice;
      if (index === parts.length - 1) {
        utterance.onend = function () { playing(false); };
      }
      synth.speak(utterance);
    });
    playing(parts.length > 0);
    status.textContent = status.getAttribute("data-reading");
  });
  pause.addEventListener("click", function () {
    if (synth.paused) {
      synth.resume();
      pause.textContent = pause.getAttribute("data-pause-label");
    } else {
      synth.pause();
      pause.textContent = pause.getAttribute("data-resume-label");
    }
  });
  stop.addEventListener("click", function () {
    synth.cancel();
    playing(false);
    status.textContent = status.getAttribute("data-stopped");
    listen.focus();
  });

  findVoice();
  if (typeof synth.addEventListener === "function") {
    synth.addEventListener("voiceschanged", findVoice);
  }
}());
