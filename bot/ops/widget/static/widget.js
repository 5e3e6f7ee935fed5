/*
 * Chat widget of the MDMA-assisted therapy education bot.
 *
 * Embed with one tag (see docs/widget.md):
 *   <script src="https://bot.example.org/widget.js"
 *           data-server-url="https://bot.example.org:5005"
 *           data-title="Questions about MDMA-assisted therapy"
 *           data-accent-color="#1f4e79" data-accent-text-color="#ffffff"
 *           defer></script>
 *
 * Talks to the Rasa server's "widget" REST channel. No dependencies, no
 * third-party requests. Everything the bot or the visitor wrote is put on the
 * page as text (textContent), never as HTML; links are made only for http(s)
 * sources and for the crisis lines, whose tel:/sms: addresses are fixed in
 * this file (CRISIS_LINKS), never taken from a reply.
 * The conversation (sender id and transcript) is kept in localStorage so it
 * survives a page reload; "New conversation" forgets it.
 */
(function () {
  "use strict";

  var VERSION = 1;
  var DEFAULTS = {
    title: "Questions about MDMA-assisted therapy",
    accent: "#1f4e79",
    accentText: "#ffffff",
  };
  var REQUEST_TIMEOUT_MS = 30000;
  var MAX_STORED_ENTRIES = 200;
  // As the server's default MAX_MESSAGE_CHARS; longer ones get a polite reply.
  var MAX_MESSAGE_LENGTH = 2000;
  var NOTICE_TEXT =
    "This assistant gives general, educational information about " +
    "MDMA-assisted therapy. It is not medical advice and it can't help in an " +
    "emergency. If you are in crisis, call or text 988 (in the US) any time; " +
    "in an emergency, call 911. Your conversation is saved in this browser " +
    "until you start a new one.";
  var UNREACHABLE_TEXT =
    "Sorry, I can't reach the assistant right now. Please check your " +
    "connection and try again. If you are in crisis, call or text 988 now.";
  var NO_ANSWER_TEXT =
    "Sorry, the assistant didn't answer. Please try again. If you are in " +
    "crisis, call or text 988 now.";

  if (window.__mdmaFaqWidgetLoaded) {
    return;
  }
  window.__mdmaFaqWidgetLoaded = true;

  var script =
    document.currentScript ||
    document.querySelector("script[data-server-url][src*='widget.js']");
  if (!script) {
    return;
  }

  // ---- configuration ------------------------------------------------------

  function httpUrl(value, base) {
    try {
      var url = new URL(String(value), base);
      return url.protocol === "http:" || url.protocol === "https:" ? url : null;
    } catch (error) {
      return null;
    }
  }

  function parseHexColor(value) {
    var match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(value || "").trim());
    if (!match) {
      return null;
    }
    var hex = match[1];
    if (hex.length === 3) {
      hex = hex[0] + hex[0] + hex[1] + hex[1] + hex[2] + hex[2];
    }
    return [0, 2, 4].map(function (i) {
      return parseInt(hex.slice(i, i + 2), 16);
    });
  }

  function luminance(rgb) {
    var c = rgb.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  function contrast(a, b) {
    var la = luminance(a);
    var lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  function readConfig(tag) {
    var data = tag.dataset;
    var scriptUrl = httpUrl(tag.src, document.baseURI) || httpUrl(document.baseURI);
    var server = scriptUrl && httpUrl(data.serverUrl || scriptUrl.origin, document.baseURI);
    if (!server) {
      console.error("Chat widget: data-server-url must be an http(s) address.");
      return null;
    }
    var accent = parseHexColor(data.accentColor);
    var accentText = parseHexColor(data.accentTextColor);
    var colors = { accent: DEFAULTS.accent, accentText: DEFAULTS.accentText };
    if ((data.accentColor && !accent) || (data.accentTextColor && !accentText)) {
      console.warn("Chat widget: colours must be written #rgb or #rrggbb.");
    }
    if (data.accentColor || data.accentTextColor) {
      var a = accent || parseHexColor(DEFAULTS.accent);
      var t = accentText || parseHexColor(DEFAULTS.accentText);
      // Text on the accent colour and the accent colour on white (links,
      // borders) must both stay readable (WCAG AA, 4.5:1).
      if (contrast(a, t) >= 4.5 && contrast(a, [255, 255, 255]) >= 4.5) {
        colors.accent = accent ? data.accentColor.trim() : DEFAULTS.accent;
        colors.accentText = accentText ? data.accentTextColor.trim() : DEFAULTS.accentText;
      } else {
        console.warn(
          "Chat widget: the accent colours are too low in contrast (4.5:1 " +
            "needed, against each other and against white); the default colours are used."
        );
      }
    }
    var base = server.href.replace(/\/+$/, "");
    return {
      serverUrl: base,
      messageUrl: base + "/webhooks/widget/webhook",
      feedbackUrl: base + "/webhooks/widget/feedback",
      cssUrl: new URL("widget.css", scriptUrl).href,
      title: (data.title || DEFAULTS.title).slice(0, 80),
      colors: colors,
      storageKey: "mdma-faq-widget:" + base,
    };
  }

  // ---- storage --------------------------------------------------------------

  var memoryStore = {};
  var storage = {
    get: function (key) {
      try {
        return window.localStorage.getItem(key);
      } catch (error) {
        return Object.prototype.hasOwnProperty.call(memoryStore, key)
          ? memoryStore[key]
          : null;
      }
    },
    set: function (key, value) {
      try {
        window.localStorage.setItem(key, value);
      } catch (error) {
        memoryStore[key] = value; // private mode or storage full
      }
    },
  };

  function randomId(prefix) {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return (
      prefix +
      Array.prototype.map
        .call(bytes, function (b) {
          return ("0" + b.toString(16)).slice(-2);
        })
        .join("")
    );
  }

  function freshState() {
    return { version: VERSION, senderId: randomId("web-"), open: false, entries: [] };
  }

  // Entries read back from storage are checked like replies from the server.
  function storedEntry(entry) {
    if (!entry || typeof entry !== "object") {
      return null;
    }
    if (entry.role === "notice") {
      return { id: String(entry.id), role: "notice" };
    }
    if (
      entry.role === "user" &&
      typeof entry.text === "string" &&
      typeof entry.payload === "string"
    ) {
      var known = ["sent", "failed", "pending", "abandoned"].indexOf(entry.status) >= 0;
      return {
        id: String(entry.id),
        role: "user",
        text: entry.text,
        payload: entry.payload,
        status: known ? entry.status : "sent",
        error: entry.error === "no_answer" ? "no_answer" : "unreachable",
      };
    }
    if (entry.role === "bot" && typeof entry.text === "string") {
      return {
        id: String(entry.id),
        role: "bot",
        text: entry.text,
        buttons: cleanButtons(entry.buttons),
        vetted: entry.vetted ? cleanStoredVetted(entry.vetted) : null,
        feedback:
          entry.feedback === "helpful" || entry.feedback === "not_helpful"
            ? entry.feedback
            : null,
      };
    }
    return null;
  }

  function cleanStoredVetted(vetted) {
    return cleanVetted({
      topic: vetted.topic,
      version: vetted.version,
      reviewed_on: vetted.reviewedOn,
      disclaimer: vetted.disclaimer,
      sources: vetted.sources,
    });
  }

  function loadState(key) {
    try {
      var state = JSON.parse(storage.get(key) || "null");
      if (
        state &&
        state.version === VERSION &&
        typeof state.senderId === "string" &&
        /^web-[0-9a-f]{32}$/.test(state.senderId) &&
        Array.isArray(state.entries)
      ) {
        state = {
          version: VERSION,
          senderId: state.senderId,
          open: state.open === true,
          entries: state.entries.map(storedEntry).filter(Boolean),
        };
        state.entries.forEach(function (entry) {
          // A request cut off by the reload never got its answer.
          if (entry.role === "user" && entry.status === "pending") {
            entry.status = "failed";
          }
        });
        return state;
      }
    } catch (error) {
      // A damaged transcript is replaced by a new conversation.
    }
    return freshState();
  }

  // ---- replies from the server ------------------------------------------------

  function cleanButtons(buttons) {
    if (!Array.isArray(buttons)) {
      return [];
    }
    return buttons
      .filter(function (b) {
        return b && typeof b.title === "string" && typeof b.payload === "string";
      })
      .map(function (b) {
        return { title: b.title, payload: b.payload };
      });
  }

  function cleanVetted(value) {
    if (
      !value ||
      typeof value.topic !== "string" ||
      typeof value.version !== "number" ||
      !Array.isArray(value.sources)
    ) {
      return null;
    }
    return {
      topic: value.topic,
      version: value.version,
      reviewedOn: typeof value.reviewed_on === "string" ? value.reviewed_on : "",
      disclaimer: typeof value.disclaimer === "string" ? value.disclaimer : "",
      sources: value.sources
        .filter(function (s) {
          return s && typeof s.title === "string";
        })
        .map(function (s) {
          return { title: s.title, url: typeof s.url === "string" ? s.url : null };
        }),
    };
  }

  // Turns the REST replies into transcript entries. A vetted answer arrives
  // as its text message followed by a custom message with its structured
  // part; the two become one entry.
  function entriesFromReplies(replies) {
    var entries = [];
    replies.forEach(function (reply) {
      if (!reply || typeof reply !== "object") {
        return;
      }
      var text = typeof reply.text === "string" ? reply.text : "";
      var buttons = cleanButtons(reply.buttons);
      var vetted = reply.custom ? cleanVetted(reply.custom.vetted_answer) : null;
      var last = entries[entries.length - 1];
      if (vetted && !text && !buttons.length && last && last.text && !last.vetted) {
        last.vetted = vetted;
        return;
      }
      if (!text && !buttons.length && !vetted) {
        return; // images, attachments and other custom payloads are not shown
      }
      entries.push({
        id: randomId("m"),
        role: "bot",
        text: text,
        buttons: buttons,
        vetted: vetted,
        feedback: null,
      });
    });
    return entries;
  }

  // The answer's own words: the text minus the plain-text "Sources: ..." and
  // disclaimer, which are shown from the structured part instead.
  function answerBody(entry) {
    var cut = entry.text.lastIndexOf("\n\nSources: ");
    return cut >= 0 ? entry.text.slice(0, cut) : entry.text;
  }

  // What the bot added after the disclaimer: the 988 reminder on answers
  // given after crisis lines (bot/answers/safety_replies.py). It must not be lost
  // with the plain-text sources and disclaimer.
  function answerTail(entry) {
    var cut = entry.text.lastIndexOf("\n\nSources: ");
    var disclaimer = entry.vetted ? entry.vetted.disclaimer : "";
    if (cut < 0 || !disclaimer) {
      return "";
    }
    var rest = entry.text.slice(cut);
    var at = rest.lastIndexOf(disclaimer);
    return at >= 0 ? rest.slice(at + disclaimer.length).trim() : "";
  }

  // ---- DOM helpers ------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === false || value === null || value === undefined) {
        return;
      }
      if (name === "text") {
        node.textContent = value;
      } else if (name === "className") {
        node.className = value;
      } else if (name === "hidden") {
        node.hidden = true;
      } else {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    });
    (children || []).forEach(function (child) {
      if (child) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  // ---- crisis lines ---------------------------------------------------------

  // Every tel:/sms: address the widget can make. A reply only decides WHICH of
  // these its words are linked to, so no reply can make any other link.
  var CRISIS_LINKS = {
    call988: "tel:988",
    text988: "sms:988",
    call911: "tel:911",
    textVeterans: "sms:838255",
    textHome: "sms:741741?body=HOME",
    textAyuda: "sms:988?body=AYUDA",
    callPoisonControl: "tel:18002221222",
  };

  // Phrases of the bot's safety replies (domain.yml), most specific first.
  // Each capture group is one piece of the phrase: plain text (null) or a
  // link to a line. `name` is the link's accessible name where its words
  // alone ("call") would not say what it does; it starts with those words.
  var CRISIS_PHRASES = [
    // "call or text 988": a call link and a text link.
    {
      pattern: /\b(call)( or )(text 988)\b/i,
      pieces: [{ line: "call988", name: "Call 988" }, null, { line: "text988" }],
    },
    { pattern: /\b(dial 988)\b/i, pieces: [{ line: "call988" }] },
    { pattern: /\b(text 838255)\b/i, pieces: [{ line: "textVeterans" }] },
    { pattern: /\b(text HOME to 741741)\b/i, pieces: [{ line: "textHome" }] },
    { pattern: /\b(call 911)\b/i, pieces: [{ line: "call911" }] },
    { pattern: /\b(llama al 988)\b/i, pieces: [{ line: "call988" }] },
    { pattern: /\b(llama al 911)\b/i, pieces: [{ line: "call911" }] },
    {
      pattern: /\b(env\u00eda AYUDA (?:por mensaje de texto )?al 988)\b/i,
      pieces: [{ line: "textAyuda" }],
    },
    // The English crisis reply's line for Spanish speakers.
    {
      pattern: /\b(call 988 and press 2)\b/i,
      pieces: [{ line: "call988", name: "Call 988, then press 2" }],
    },
    { pattern: /\b(text AYUDA to 988)\b/i, pieces: [{ line: "textAyuda" }] },
    {
      pattern: /\b(1-800-222-1222)\b/,
      pieces: [{ line: "callPoisonControl", name: "Call Poison Control, 1-800-222-1222" }],
    },
    // A number on its own, in wording not listed above.
    { pattern: /\b(988)\b/, pieces: [{ line: "call988", name: "Call 988" }] },
    { pattern: /\b(911)\b/, pieces: [{ line: "call911", name: "Call 911" }] },
    { pattern: /\b(838255)\b/, pieces: [{ line: "textVeterans", name: "Text 838255" }] },
    { pattern: /\b(741741)\b/, pieces: [{ line: "textHome", name: "Text HOME to 741741" }] },
  ].map(function (phrase) {
    return {
      pattern: new RegExp(phrase.pattern.source, phrase.pattern.flags + "g"),
      pieces: phrase.pieces,
    };
  });

  function lineLink(words, piece) {
    return el("a", {
      href: CRISIS_LINKS[piece.line],
      className: "line-link",
      "aria-label": piece.name || null,
      text: words,
    });
  }

  // The bot's text as DOM nodes: text nodes, with the crisis lines' phone
  // numbers and text codes as links. Every character of `text` is kept, as
  // text; only the fixed addresses above become links.
  function withLineLinks(text) {
    var nodes = [];
    var position = 0;
    while (position < text.length) {
      var best = null;
      for (var i = 0; i < CRISIS_PHRASES.length; i++) {
        var phrase = CRISIS_PHRASES[i];
        phrase.pattern.lastIndex = position;
        var match = phrase.pattern.exec(text);
        if (match && (!best || match.index < best.match.index)) {
          best = { phrase: phrase, match: match };
        }
      }
      if (!best) {
        break;
      }
      if (best.match.index > position) {
        nodes.push(text.slice(position, best.match.index));
      }
      best.phrase.pieces.forEach(function (piece, index) {
        var words = best.match[index + 1];
        nodes.push(piece ? lineLink(words, piece) : words);
      });
      position = best.match.index + best.match[0].length;
    }
    if (position < text.length) {
      nodes.push(text.slice(position));
    }
    return nodes;
  }

  // The "Get help now" list: the same lines as the crisis replies, and the
  // Spanish line. Shown by the widget itself; nothing is sent to the bot.
  var HELP_LINES = [
    {
      name: "988 Suicide & Crisis Lifeline",
      detail: "Free and confidential, any time.",
      links: [
        { line: "call988", text: "Call 988" },
        { line: "text988", text: "Text 988" },
      ],
    },
    {
      name: "Veterans Crisis Line",
      detail: "For veterans, service members and their families.",
      links: [
        { line: "call988", text: "Call 988, then press 1" },
        { line: "textVeterans", text: "Text 838255" },
      ],
    },
    {
      name: "Crisis Text Line",
      links: [{ line: "textHome", text: "Text HOME to 741741" }],
    },
    {
      name: "In danger right now",
      links: [{ line: "call911", text: "Call 911" }],
    },
    {
      name: "Poisoning or overdose: Poison Control",
      links: [{ line: "callPoisonControl", text: "Call 1-800-222-1222" }],
    },
    {
      lang: "es",
      name: "En espa\u00f1ol: 988 L\u00ednea de Prevenci\u00f3n del Suicidio y Crisis",
      detail: "Gratis y confidencial, a cualquier hora.",
      links: [
        { line: "call988", text: "Llama al 988 y marca 2" },
        { line: "textAyuda", text: "Env\u00eda AYUDA al 988" },
      ],
    },
  ];
  var HELP_OUTSIDE_US =
    "Outside the US, call your local emergency number or a local crisis line.";

  // ---- the widget ----------------------------------------------------------

  function Widget(config) {
    this.config = config;
    this.state = loadState(config.storageKey);
    this.busy = false;
    this.build();
    this.renderAll();
    if (this.state.open) {
      this.open(false);
    }
  }

  Widget.prototype.save = function () {
    var entries = this.state.entries;
    if (entries.length > MAX_STORED_ENTRIES) {
      // Keep the notice, drop the oldest messages.
      var notice = entries[0] && entries[0].role === "notice" ? [entries[0]] : [];
      this.state.entries = notice.concat(entries.slice(-(MAX_STORED_ENTRIES - 1)));
    }
    storage.set(this.config.storageKey, JSON.stringify(this.state));
  };

  Widget.prototype.build = function () {
    var self = this;
    var host = el("div", { id: "mdma-faq-widget" });
    host.style.visibility = "hidden"; // until the stylesheet has loaded
    host.style.setProperty("--mdma-accent", this.config.colors.accent);
    host.style.setProperty("--mdma-accent-text", this.config.colors.accentText);
    var root = host.attachShadow({ mode: "open" });
    var stylesheet = el("link", { rel: "stylesheet", href: this.config.cssUrl });
    var show = function () {
      host.style.visibility = "";
    };
    stylesheet.addEventListener("load", show);
    stylesheet.addEventListener("error", show);
    root.appendChild(stylesheet);

    this.launcher = el("button", {
      type: "button",
      className: "launcher",
      "aria-expanded": "false",
      "aria-controls": "panel",
      text: "Questions? Chat with us",
    });
    this.newButton = el("button", {
      type: "button",
      className: "header-button",
      text: "New conversation",
    });
    this.closeButton = el("button", {
      type: "button",
      className: "header-button close",
      "aria-label": "Close chat",
      text: "\u00d7",
    });
    this.helpButton = el("button", {
      type: "button",
      className: "header-button help-button",
      "aria-haspopup": "dialog",
      "aria-expanded": "false",
      "aria-controls": "help",
      text: "Get help now",
    });
    this.help = this.buildHelp();
    this.log = el("div", {
      className: "log",
      role: "log",
      "aria-live": "polite",
      "aria-relevant": "additions",
      "aria-label": "Conversation",
      tabindex: "0",
    });
    this.typing = el("div", { className: "typing", role: "status", hidden: true }, [
      el("span", { className: "dots", "aria-hidden": "true" }, [
        el("span"),
        el("span"),
        el("span"),
      ]),
      el("span", { className: "typing-label", text: "The assistant is typing\u2026" }),
    ]);
    this.status = el("div", { className: "sr-only", role: "status" });
    this.input = el("input", {
      id: "input",
      type: "text",
      className: "input",
      autocomplete: "off",
      maxlength: String(MAX_MESSAGE_LENGTH),
      placeholder: "Type your question",
    });
    this.sendButton = el("button", { type: "submit", className: "send", text: "Send" });
    this.form = el("form", { className: "composer" }, [
      el("label", { for: "input", className: "sr-only", text: "Your question" }),
      this.input,
      this.sendButton,
    ]);
    this.panel = el(
      "div",
      {
        id: "panel",
        className: "panel",
        role: "dialog",
        "aria-modal": "false",
        "aria-labelledby": "title",
        hidden: true,
      },
      [
        el("div", { className: "header" }, [
          el("div", { className: "header-top" }, [
            el("h2", { id: "title", className: "title", text: this.config.title }),
            this.closeButton,
          ]),
          el("div", { className: "header-tools" }, [this.helpButton, this.newButton]),
        ]),
        this.log,
        this.typing,
        this.status,
        this.form,
      ]
    );
    root.appendChild(this.panel);
    root.appendChild(this.help);
    root.appendChild(this.launcher);
    document.body.appendChild(host);

    this.launcher.addEventListener("click", function () {
      self.open(true);
    });
    this.closeButton.addEventListener("click", function () {
      self.close();
    });
    this.newButton.addEventListener("click", function () {
      self.startOver();
    });
    this.helpButton.addEventListener("click", function () {
      self.openHelp();
    });
    this.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        self.close();
      }
    });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = self.input.value.trim();
      if (!text || self.busy) {
        return;
      }
      self.input.value = "";
      self.send(text, text);
    });
  };

  // The "Get help now" dialog: the crisis lines as links. A modal <dialog>
  // outside the chat panel, so Escape closes it and not the chat, and focus
  // stays in it while it is open.
  Widget.prototype.buildHelp = function () {
    var self = this;
    this.helpTitle = el("h2", {
      id: "help-title",
      className: "help-title",
      tabindex: "-1",
      text: "Get help now",
    });
    this.helpClose = el("button", { type: "button", className: "help-close", text: "Close" });
    var dialog = el(
      "dialog",
      {
        id: "help",
        className: "help",
        "aria-labelledby": "help-title",
        "aria-describedby": "help-intro",
      },
      [
        el("div", { className: "help-header" }, [this.helpTitle, this.helpClose]),
        el("p", {
          id: "help-intro",
          className: "help-intro",
          text:
            "In the US, talk to someone now. These links open your phone's " +
            "call or text app; nothing is sent to this chat.",
        }),
        el(
          "ul",
          { className: "help-lines" },
          HELP_LINES.map(function (item) {
            return el("li", { className: "help-line", lang: item.lang || null }, [
              el("p", { className: "help-line-name", text: item.name }),
              item.detail ? el("p", { className: "help-line-detail", text: item.detail }) : null,
              el(
                "div",
                { className: "help-line-links" },
                item.links.map(function (link) {
                  return el("a", {
                    href: CRISIS_LINKS[link.line],
                    className: "help-link",
                    text: link.text,
                  });
                })
              ),
            ]);
          })
        ),
        el("p", { className: "help-outside", text: HELP_OUTSIDE_US }),
      ]
    );
    this.helpClose.addEventListener("click", function () {
      self.closeHelp();
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        self.closeHelp();
      }
    });
    // Closed some other way (the browser's own Escape handling).
    dialog.addEventListener("close", function () {
      self.helpClosed();
    });
    return dialog;
  };

  Widget.prototype.openHelp = function () {
    if (this.help.open) {
      return;
    }
    if (typeof this.help.showModal === "function") {
      this.help.showModal();
    } else {
      this.help.setAttribute("open", "");
    }
    this.helpButton.setAttribute("aria-expanded", "true");
    this.helpTitle.focus();
  };

  Widget.prototype.closeHelp = function () {
    if (typeof this.help.close === "function") {
      this.help.close(); // fires "close", which calls helpClosed
    } else {
      this.help.removeAttribute("open");
      this.helpClosed();
    }
  };

  Widget.prototype.helpClosed = function () {
    if (this.helpButton.getAttribute("aria-expanded") !== "true") {
      return;
    }
    this.helpButton.setAttribute("aria-expanded", "false");
    if (!this.panel.hidden) {
      this.helpButton.focus();
    }
  };

  Widget.prototype.open = function (moveFocus) {
    if (!this.state.entries.length) {
      this.addEntry({ id: randomId("m"), role: "notice" });
    }
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.launcher.setAttribute("aria-expanded", "true");
    this.state.open = true;
    this.save();
    this.scrollToEnd();
    if (moveFocus) {
      this.input.focus();
    }
  };

  Widget.prototype.close = function () {
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute("aria-expanded", "false");
    this.state.open = false;
    this.save();
    this.launcher.focus();
  };

  Widget.prototype.startOver = function () {
    this.state = freshState();
    this.state.open = true;
    this.busy = false;
    this.setTyping(false);
    this.renderAll();
    this.addEntry({ id: randomId("m"), role: "notice" });
    this.save();
    this.announce("Started a new conversation.");
    this.input.value = "";
    this.input.focus();
  };

  Widget.prototype.announce = function (text) {
    var status = this.status;
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  };

  Widget.prototype.setTyping = function (on) {
    // The send button is not disabled, so it keeps keyboard focus; a
    // message typed meanwhile stays in the box until the answer is in.
    this.typing.hidden = !on;
    this.sendButton.setAttribute("aria-disabled", on ? "true" : "false");
  };

  Widget.prototype.scrollToEnd = function () {
    this.log.scrollTop = this.log.scrollHeight;
  };

  Widget.prototype.scrollToShow = function (node) {
    // The top of a new answer, not its end, so it is read from the start.
    this.log.scrollTop = Math.max(0, node.offsetTop - 8);
  };

  Widget.prototype.renderAll = function () {
    var self = this;
    this.log.textContent = "";
    this.state.entries.forEach(function (entry) {
      self.log.appendChild(self.renderEntry(entry));
    });
    this.renderError();
  };

  Widget.prototype.addEntry = function (entry) {
    this.state.entries.push(entry);
    var node = this.renderEntry(entry);
    this.log.appendChild(node);
    return node;
  };

  Widget.prototype.renderEntry = function (entry) {
    if (entry.role === "notice") {
      return el("div", { className: "notice", role: "note" }, [
        el("p", {}, withLineLinks(NOTICE_TEXT)),
      ]);
    }
    if (entry.role === "user") {
      return el("div", { className: "message user", "data-entry": entry.id }, [
        el("span", { className: "sr-only", text: "You said: " }),
        el("p", { className: "text", text: entry.text }),
      ]);
    }
    return this.renderBotEntry(entry);
  };

  Widget.prototype.renderBotEntry = function (entry) {
    var self = this;
    var vetted = entry.vetted;
    var parts = [
      el("span", { className: "sr-only", text: "Assistant: " }),
      el("p", { className: "text" }, withLineLinks(vetted ? answerBody(entry) : entry.text)),
    ];
    if (vetted) {
      if (vetted.sources.length) {
        parts.push(
          el("div", { className: "sources" }, [
            el("p", { className: "label", text: "Sources" }),
            el(
              "ul",
              {},
              vetted.sources.map(function (source) {
                var url = source.url ? httpUrl(source.url) : null;
                if (!url) {
                  return el("li", { text: source.title });
                }
                return el("li", {}, [
                  el("a", {
                    href: url.href,
                    rel: "noopener noreferrer",
                    target: "_blank",
                    text: source.title,
                  }, [el("span", { className: "sr-only", text: " (opens in a new tab)" })]),
                ]);
              })
            ),
          ])
        );
      }
      var disclaimer = vetted.disclaimer;
      if (disclaimer && answerBody(entry).indexOf(disclaimer) < 0) {
        parts.push(el("p", { className: "disclaimer", text: disclaimer }));
      }
      var tail = answerTail(entry);
      if (tail) {
        parts.push(el("p", { className: "answer-tail" }, withLineLinks(tail)));
      }
    }
    if (entry.buttons && entry.buttons.length) {
      parts.push(
        el(
          "div",
          { className: "choices", role: "group", "aria-label": "Suggested topics" },
          entry.buttons.map(function (button) {
            var node = el("button", { type: "button", className: "choice", text: button.title });
            node.addEventListener("click", function () {
              self.send(button.payload, button.title);
            });
            return node;
          })
        )
      );
    }
    if (vetted) {
      parts.push(this.renderFeedback(entry));
    }
    return el("div", { className: "message bot", "data-entry": entry.id }, parts);
  };

  Widget.prototype.renderFeedback = function (entry) {
    var self = this;
    var status = el("span", { className: "feedback-status", role: "status" });
    var yes = el("button", { type: "button", className: "feedback-button", text: "Helpful" });
    var no = el("button", { type: "button", className: "feedback-button", text: "Not helpful" });
    var group = el(
      "div",
      { className: "feedback", role: "group", "aria-label": "Was this answer helpful?" },
      [el("span", { className: "feedback-question", text: "Was this helpful?" }), yes, no, status]
    );
    // The buttons are never `disabled`: a disabled button loses keyboard
    // focus. aria-disabled says they no longer do anything.
    function setEnabled(enabled) {
      yes.setAttribute("aria-disabled", enabled ? "false" : "true");
      no.setAttribute("aria-disabled", enabled ? "false" : "true");
    }
    function showChoice() {
      yes.setAttribute("aria-pressed", entry.feedback === "helpful" ? "true" : "false");
      no.setAttribute("aria-pressed", entry.feedback === "not_helpful" ? "true" : "false");
      setEnabled(!entry.feedback);
      if (entry.feedback) {
        status.textContent = "Thank you for your feedback.";
      }
    }
    function choose(helpful) {
      if (entry.feedback || yes.getAttribute("aria-disabled") === "true") {
        return;
      }
      setEnabled(false);
      status.textContent = "Sending\u2026";
      self
        .postJson(self.config.feedbackUrl, {
          sender: self.state.senderId,
          topic: entry.vetted.topic,
          version: entry.vetted.version,
          helpful: helpful,
        })
        .then(function () {
          entry.feedback = helpful ? "helpful" : "not_helpful";
          self.save();
          showChoice();
        })
        .catch(function () {
          setEnabled(true);
          status.textContent = "Sorry, your feedback couldn't be sent. Please try again.";
        });
    }
    yes.addEventListener("click", function () {
      choose(true);
    });
    no.addEventListener("click", function () {
      choose(false);
    });
    showChoice();
    return group;
  };

  // Shows the "can't reach" message with a retry button after the last
  // message, if that message failed.
  Widget.prototype.renderError = function () {
    var self = this;
    if (this.errorNode && this.errorNode.parentNode) {
      this.errorNode.parentNode.removeChild(this.errorNode);
    }
    this.errorNode = null;
    var entries = this.state.entries;
    var last = entries[entries.length - 1];
    if (!last || last.role !== "user" || last.status !== "failed") {
      return;
    }
    var retry = el("button", { type: "button", className: "retry", text: "Try again" });
    retry.addEventListener("click", function () {
      self.input.focus(); // the retry button goes away
      self.deliver(last);
    });
    this.errorNode = el("div", { className: "error", role: "alert" }, [
      el("p", {}, withLineLinks(last.error === "no_answer" ? NO_ANSWER_TEXT : UNREACHABLE_TEXT)),
      retry,
    ]);
    this.log.appendChild(this.errorNode);
    this.scrollToEnd();
    return retry;
  };

  Widget.prototype.postJson = function (url, body) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller
      ? window.setTimeout(function () {
          controller.abort();
        }, REQUEST_TIMEOUT_MS)
      : null;
    return window
      .fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        credentials: "omit",
        signal: controller ? controller.signal : undefined,
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .finally(function () {
        if (timer) {
          window.clearTimeout(timer);
        }
      });
  };

  // Sends a message: `payload` goes to the bot, `shown` is what the
  // transcript shows as the visitor's words (a button's title).
  Widget.prototype.send = function (payload, shown) {
    if (this.busy) {
      return;
    }
    var last = this.state.entries[this.state.entries.length - 1];
    if (last && last.role === "user" && last.status === "failed") {
      // The unanswered message stays; the new one is sent after it.
      last.status = "abandoned";
    }
    var entry = {
      id: randomId("m"),
      role: "user",
      text: String(shown),
      payload: String(payload),
      status: "pending",
    };
    this.renderError();
    this.addEntry(entry);
    this.save();
    this.scrollToEnd();
    this.deliver(entry);
  };

  Widget.prototype.deliver = function (entry) {
    var self = this;
    if (this.busy) {
      return;
    }
    this.busy = true;
    entry.status = "pending";
    this.renderError();
    this.setTyping(true);
    this.scrollToEnd();
    this.postJson(this.config.messageUrl, {
      sender: this.state.senderId,
      message: entry.payload,
    })
      .then(function (replies) {
        if (self.state.entries.indexOf(entry) < 0) {
          return; // the visitor started a new conversation meanwhile
        }
        var entries = Array.isArray(replies) ? entriesFromReplies(replies) : [];
        if (!entries.length) {
          entry.status = "failed";
          entry.error = "no_answer";
          return;
        }
        entry.status = "sent";
        delete entry.error;
        var first = null;
        entries.forEach(function (reply) {
          var node = self.addEntry(reply);
          first = first || node;
        });
        self.scrollToShow(first);
      })
      .catch(function () {
        entry.status = "failed";
        entry.error = "unreachable";
      })
      .then(function () {
        if (self.state.entries.indexOf(entry) < 0) {
          return;
        }
        self.busy = false;
        self.setTyping(false);
        self.save();
        self.renderError();
      });
  };

  function start() {
    var config = readConfig(script);
    if (config) {
      window.mdmaFaqWidget = new Widget(config);
    }
  }

  if (document.body) {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
