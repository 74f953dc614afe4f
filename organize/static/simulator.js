// The phone simulator. Each phone asks the server to sign Twilio-like parameters, then posts
// them itself to the real /sms/inbound or /voice/... webhook and shows the TwiML answer, so the
// whole webhook path runs as it does for Twilio. Messages the service sends on its own come
// from the development outbox. No libraries; numbers are never stored or put in a URL.
(function () {
  "use strict";
  var root = document.getElementById("sim");
  var template = document.getElementById("phone-template");
  if (!root || !template || !window.fetch || !window.DOMParser) { return; }
  var data = root.dataset;
  var synth = window.speechSynthesis || null;
  var POLL_MS = 2500;

  function t(name) { return root.getAttribute("data-t-" + name) || ""; }
  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function postJSON(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": data.csrf },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (d) {
        if (!r.ok) { var e = new Error(d.error || String(r.status)); e.code = d.error; throw e; }
        return d;
      });
    });
  }

  // One line in a chat or call transcript; text only ever goes in as textContent.
  function line(list, kind, text, who, lang) {
    var li = document.createElement("li");
    li.className = kind;
    if (who) {
      var label = document.createElement("span");
      label.className = "visually-hidden";
      label.textContent = who + ": ";
      li.appendChild(label);
    }
    var body = document.createElement("span");
    body.className = "text";
    body.textContent = text;
    if (lang) { body.lang = lang; }
    li.appendChild(body);
    list.appendChild(li);
    list.scrollTop = list.scrollHeight;
    return li;
  }

  function Phone(n) {
    var self = this;
    var node = template.content.firstElementChild.cloneNode(true);
    var suffix = "-" + n;
    node.setAttribute("aria-labelledby", node.getAttribute("aria-labelledby") + suffix);
    node.querySelectorAll("[id]").forEach(function (el) { el.id += suffix; });
    ["for", "aria-controls", "aria-labelledby"].forEach(function (attr) {
      node.querySelectorAll("[" + attr + "]").forEach(function (el) {
        el.setAttribute(attr, el.getAttribute(attr) + suffix);
      });
    });
    function $(selector) { return node.querySelector(selector); }
    $(".phone-title").textContent = t("phone").replace("{n}", String(n));
    var number = $(".number");
    var numberError = number.parentNode.querySelector(".error");
    number.value = "+1 713 555 01" + (n < 10 ? "0" + n : String(n % 100));
    var chat = $("#ph-sms" + suffix + " .chat");
    var transcript = $(".transcript");
    var state = $(".call-state");
    var queue = Promise.resolve();
    var since = null;
    var epoch = 0;  // bumped when the number changes: answers for the old number are dropped
    var call = { active: false, sid: null, gen: 0, gather: null, record: null, dial: null,
      rest: null, digits: "", interrupt: null };
    this.node = node;

    // Tabs (WAI-ARIA pattern: arrows move between them).
    var tabs = [].slice.call(node.querySelectorAll("[role=tab]"));
    function select(tab) {
      tabs.forEach(function (other) {
        var on = other === tab;
        other.setAttribute("aria-selected", on ? "true" : "false");
        other.tabIndex = on ? 0 : -1;
        document.getElementById(other.getAttribute("aria-controls")).hidden = !on;
      });
    }
    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function () { select(tab); });
      tab.addEventListener("keydown", function (e) {
        var next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
        if (next === undefined) { return; }
        e.preventDefault();
        var target = tabs[(next + tabs.length) % tabs.length];
        select(target);
        target.focus();
      });
    });
    this.showCall = function () { select(tabs[1]); };

    function numberProblem(err) {
      var bad = err && err.code === "fictional-number";
      numberError.textContent = bad ? t("bad-number") : "";
      numberError.hidden = !bad;
      if (bad) {
        number.setAttribute("aria-invalid", "true");
        number.setAttribute("aria-describedby", numberError.id);
      } else {
        number.removeAttribute("aria-invalid");
        number.removeAttribute("aria-describedby");
      }
      return bad;
    }

    // Sign one hop on the server, post it to the webhook, parse the TwiML (null when empty).
    function hop(channel, url, params) {
      var body = { channel: channel, number: number.value, url: url, call: call.sid,
        params: params || {} };
      return postJSON(data.signUrl, body).then(function (signed) {
        numberProblem(null);
        if (channel === "voice") { call.sid = signed.params.CallSid; }
        return fetch(signed.url, {
          method: "POST",
          credentials: "omit",  // Twilio sends no cookies: the webhook must not need them
          headers: { "X-Twilio-Signature": signed.signature },
          body: new URLSearchParams(signed.params)
        });
      }).then(function (r) {
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.text();
      }).then(function (text) {
        if (!text.trim()) { return null; }
        var doc = new DOMParser().parseFromString(text, "text/xml");
        if (doc.getElementsByTagName("parsererror").length) { throw new Error("TwiML"); }
        return doc.documentElement;
      }, function (err) {
        if (!numberProblem(err)) { throw err; }
        return undefined;
      });
    }

    // Messages tab.
    var compose = $(".compose");
    var box = compose.querySelector("textarea");
    compose.addEventListener("submit", function (e) {
      e.preventDefault();
      var text = box.value;
      if (!text.trim()) { return; }
      box.value = "";
      line(chat, "out", text, t("you"));
      var mine = epoch;
      queue = queue.then(function () { return hop("sms", data.smsUrl, { Body: text }); })
        .then(function (reply) {
          if (reply === undefined || mine !== epoch) { return; }
          var messages = reply ? [].slice.call(reply.getElementsByTagName("Message")) : [];
          if (!messages.length) { line(chat, "note", t("no-reply")); }
          messages.forEach(function (m) {
            var bodies = m.getElementsByTagName("Body");
            line(chat, "in", (bodies.length ? bodies[0] : m).textContent, t("service"));
          });
        })
        .catch(function () { line(chat, "note error", t("error")); })
        .then(poll);
    });
    box.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); compose.requestSubmit(); }
    });

    // Polls run one after another; at most one waits behind the running one, and it reads the
    // number when it starts, so a number typed during a poll is never missed.
    var polls = Promise.resolve();
    var waiting = false;
    function poll() {
      if (waiting) { return polls; }
      waiting = true;
      polls = polls.then(function () {
        waiting = false;
        var mine = epoch;
        return postJSON(data.outboxUrl, { number: number.value, since: since })
          .then(function (d) {
            if (mine !== epoch) { return; }
            numberProblem(null);
            if (since !== null) { d.messages.forEach(pushed); }
            since = d.last;
          }, numberProblem);
      }).catch(function () {});
      return polls;
    }
    this.poll = poll;

    function pushed(m) {
      if (m.kind === "sms") {
        var li = line(chat, "in push", m.body, t("service"));
        var tag = document.createElement("small");
        tag.textContent = t("pushed");
        li.appendChild(tag);
        return;
      }
      var ring = line(chat, "in push", t("incoming"), t("service"));
      if (m.call) {
        var answer = document.createElement("button");
        answer.type = "button";
        answer.textContent = t("answer");
        answer.addEventListener("click", function () {
          answer.disabled = true;
          self.showCall();
          startCall(m.call);
        });
        ring.appendChild(answer);
      }
    }

    number.addEventListener("change", function () {
      epoch += 1;
      since = null;
      chat.textContent = "";
      hangUp();
      poll();
    });

    // Call tab.
    var start = $(".start");
    var hangup = $(".hangup");
    var keys = [].slice.call(node.querySelectorAll("[data-key]"));
    var speechForm = $(".speech");
    var speech = speechForm.querySelector("input");
    var say = speechForm.querySelector("[type=submit]");
    var silence = $(".silence");
    var dialButtons = $(".dial-buttons");
    var aloud = $(".aloud");

    function controls() {
      var gather = call.gather;
      var listensForWords = !!call.record || !!(gather && /speech/.test(gather.input));
      start.disabled = call.active;
      hangup.disabled = !call.active;
      keys.forEach(function (k) { k.disabled = !call.active; });
      speech.disabled = say.disabled = !listensForWords;
      silence.disabled = !(gather || call.record);
      dialButtons.hidden = !call.dial;
      if (call.active) { state.textContent = gather || call.record ? t("listening") : t("calling"); }
    }

    function stopSound() {
      if (call.interrupt) { call.interrupt(); }
      if (synth) { synth.cancel(); }
    }

    // Wait for a sound to finish, or for the caller to interrupt it (a key, hang-up).
    function interruptible(begin, limit) {
      return new Promise(function (resolve) {
        var finished = false;
        var timer = null;
        function finish() {
          if (finished) { return; }
          finished = true;
          clearTimeout(timer);
          call.interrupt = null;
          resolve();
        }
        call.interrupt = finish;
        timer = setTimeout(finish, limit);
        begin(finish);
      });
    }

    function speak(text, lang) {
      if (!aloud.checked || !synth || !synth.getVoices().length) { return Promise.resolve(); }
      return interruptible(function (done) {
        var u = new SpeechSynthesisUtterance(text);
        var voices = synth.getVoices();
        var wanted = lang.toLowerCase();
        u.lang = lang;
        u.voice = voices.filter(function (v) { return v.lang.toLowerCase() === wanted; })[0] ||
          voices.filter(function (v) { return v.lang.slice(0, 2) === wanted.slice(0, 2); })[0] ||
          null;
        u.onend = u.onerror = done;
        synth.speak(u);
      }, 3000 + text.length * 100);
    }

    function play(url) {
      var li = line(transcript, "in", t("play"), t("service"));
      var audio = document.createElement("audio");
      audio.controls = true;
      audio.preload = "none";
      audio.src = url;
      li.appendChild(audio);
      if (!aloud.checked) { return Promise.resolve(); }
      return interruptible(function (done) {
        audio.onended = audio.onerror = done;
        var started = audio.play();
        if (started && started.catch) { started.catch(done); }
      }, 10 * 60 * 1000).then(function () { audio.pause(); });
    }

    function speakVerb(verb) {
      if (verb.tagName === "Say") {
        var lang = verb.getAttribute("language") || "en-US";
        var text = verb.textContent.trim();
        line(transcript, "in", text, t("service"), lang);
        return speak(text, lang);
      }
      if (verb.tagName === "Play") { return play(verb.textContent.trim()); }
      return Promise.resolve();
    }

    // Run TwiML verbs from `index` the way Twilio would, until the call waits for the caller.
    function run(verbs, index, url, gen) {
      if (gen !== call.gen || !call.active) { return Promise.resolve(); }
      if (index >= verbs.length) { endCall(); return Promise.resolve(); }
      var verb = verbs[index];
      var next = function () { return run(verbs, index + 1, url, gen); };
      var action = verb.getAttribute("action");
      switch (verb.tagName) {
        case "Say":
        case "Play":
          return speakVerb(verb).then(next);
        case "Pause":
          var seconds = Math.min(parseInt(verb.getAttribute("length") || "1", 10) || 1, 5);
          return sleep(aloud.checked ? seconds * 1000 : 200).then(next);
        case "Gather":
          call.gather = { action: action || url, input: verb.getAttribute("input") || "dtmf",
            numDigits: parseInt(verb.getAttribute("numDigits") || "0", 10),
            finishOnKey: verb.hasAttribute("finishOnKey") ? verb.getAttribute("finishOnKey") : "#" };
          call.rest = { verbs: verbs, index: index + 1, url: url };
          call.digits = "";
          controls();
          return [].slice.call(verb.children).reduce(function (chain, child) {
            return chain.then(function () { return gen === call.gen ? speakVerb(child) : null; });
          }, Promise.resolve());
        case "Record":
          call.record = { action: action || url, transcribe: verb.getAttribute("transcribeCallback") };
          call.rest = { verbs: verbs, index: index + 1, url: url };
          controls();
          line(transcript, "note", t("recording"));
          return Promise.resolve();
        case "Redirect":
          return voice(verb.textContent.trim(), {});
        case "Dial":
          call.dial = { action: action };
          line(transcript, "note", t("dial"));
          controls();
          return Promise.resolve();
        case "Hangup":
        case "Reject":
          endCall();
          return Promise.resolve();
        default:
          return next();
      }
    }

    // One hop of the call: whatever the caller was doing stops, the answer is run.
    function voice(url, params, then) {
      var gen = ++call.gen;
      stopSound();
      call.gather = call.record = call.dial = call.rest = null;
      controls();
      return hop("voice", url, params).then(function (twiml) {
        if (gen !== call.gen || !call.active) { return null; }
        return (then ? then() : Promise.resolve()).then(function () {
          if (twiml === undefined) { endCall(); return null; }
          return run(twiml ? [].slice.call(twiml.children) : [], 0, url, gen);
        });
      }).catch(function () {
        line(transcript, "note error", t("error"));
        endCall();
      });
    }

    function startCall(url) {
      if (call.active) { hangUp(); }
      transcript.textContent = "";
      call.active = true;
      call.sid = null;
      controls();
      voice(url || data.voiceUrl, {});
    }

    function endCall() {
      call.gen += 1;
      stopSound();
      call.active = false;
      call.gather = call.record = call.dial = call.rest = null;
      controls();
      state.textContent = t("ended");
    }

    function hangUp() {
      if (!call.active) { return; }
      var sid = call.sid;
      endCall();
      if (sid) { hop("voice", data.voiceStatusUrl, { CallStatus: "completed" }).catch(function () {}); }
    }

    function press(key) {
      var gather = call.gather;
      if (!call.active || !gather || !/dtmf/.test(gather.input)) { return; }
      call.gen += 1;  // a key interrupts what the line is saying
      stopSound();
      if (gather.finishOnKey && key === gather.finishOnKey) {
        voice(gather.action, { Digits: call.digits });
        return;
      }
      call.digits += key;
      if (gather.numDigits && call.digits.length >= gather.numDigits) {
        voice(gather.action, { Digits: call.digits });
      }
    }

    start.addEventListener("click", function () { startCall(null); });
    hangup.addEventListener("click", hangUp);
    keys.forEach(function (k) {
      k.addEventListener("click", function () { press(k.getAttribute("data-key")); });
    });
    speechForm.addEventListener("submit", function (e) {
      e.preventDefault();
      var words = speech.value.trim();
      if (!words || speech.disabled) { return; }
      speech.value = "";
      line(transcript, "out", words, t("you"));
      if (call.record) {
        var record = call.record;
        var sid = "RE" + Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(16)),
          function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
        voice(record.action, { RecordingSid: sid, RecordingDuration: "10" }, function () {
          if (!record.transcribe) { return Promise.resolve(); }
          return hop("voice", record.transcribe, { RecordingSid: sid, TranscriptionText: words,
            TranscriptionStatus: "completed" });
        });
      } else if (call.gather) {
        voice(call.gather.action, { SpeechResult: words });
      }
    });
    silence.addEventListener("click", function () {
      var rest = call.rest;
      if (!rest) { return; }
      var gen = ++call.gen;
      stopSound();
      call.gather = call.record = call.rest = null;
      controls();
      run(rest.verbs, rest.index, rest.url, gen);
    });
    dialButtons.querySelectorAll("[data-dial]").forEach(function (button) {
      button.addEventListener("click", function () {
        var dial = call.dial;
        if (!dial) { return; }
        if (dial.action) {
          voice(dial.action, { DialCallStatus: button.getAttribute("data-dial") });
        } else {
          endCall();
        }
      });
    });
    aloud.addEventListener("change", function () { if (!aloud.checked) { stopSound(); } });
    controls();
  }

  var phones = document.getElementById("phones");
  var made = 0;
  function addPhone() {
    made += 1;
    var phone = new Phone(made);
    phones.appendChild(phone.node);
    phone.poll();
    setInterval(function () { if (!document.hidden) { phone.poll(); } }, POLL_MS);
    return phone;
  }
  document.getElementById("add-phone").addEventListener("click", function () {
    addPhone().node.querySelector(".number").focus();
  });
  addPhone();
  root.hidden = false;
})();
