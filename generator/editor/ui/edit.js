// The editing interface's script: the list's search, and on a file's page
// loading, saving (Ctrl+S too) and the conflict when the file changed on
// disk. Requests carry the session's cookie; the server checks it and the
// page's origin. The syntax is what Chromium 86 reads.
(function () {
  "use strict";

  // What the form's script (form.js) shares with the text editor here.
  var shared = window.lanmuEd = {};

  // answer reads a JSON answer with its status.
  function answer(response) {
    return response.json().then(function (body) {
      return { status: response.status, body: body };
    });
  }
  shared.answer = answer;

  // say shows a message in the page's status line.
  function sayIn(status, message, ok) {
    status.textContent = message;
    status.className = "ed__status " + (ok ? "ed__status--ok" : "ed__status--failed");
  }
  shared.say = sayIn;

  // upload stores an image in the bundle page's folder.
  shared.upload = function (path, file, name) {
    var query = "upload?path=" + encodeURIComponent(path) + "&name=" + encodeURIComponent(name);
    return fetch(query, { method: "POST", body: file }).then(answer);
  };

  // pastedImage is the image a paste event carries, with a name for it,
  // or null.
  shared.pastedImage = function (ev) {
    var items = ev.clipboardData ? ev.clipboardData.items : [];
    for (var i = 0; i < items.length; i++) {
      if (items[i].kind === "file" && /^image\/(png|jpeg|gif|webp)$/.test(items[i].type)) {
        var stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
        var ext = items[i].type === "image/jpeg" ? "jpg" : items[i].type.slice(6);
        return { file: items[i].getAsFile(), name: "paste-" + stamp + "." + ext };
      }
    }
    return null;
  };

  // imageReference is the Markdown of an uploaded image, with its
  // description to write over.
  shared.imageReference = function (name, alt) {
    var target = /[\s()<>]/.test(name) ? "<" + name + ">" : name;
    return "![" + alt + "](" + target + ")";
  };

  // put sends a save and says how it went in the status line: saved(a)
  // takes a save's answer, the conflict section shows the text on disk,
  // and any other answer is a failure in the server's words.
  shared.put = function (form, status, url, body, saved) {
    var button = form.querySelector(".ed__save");
    var conflict = document.getElementById("conflict");
    button.disabled = true;
    return fetch(url, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }).then(answer).then(function (a) {
      button.disabled = false;
      if (a.status === 200) {
        conflict.hidden = true;
        sayIn(status, form.getAttribute("data-saved"), true);
        saved(a);
      } else if (a.status === 409) {
        document.getElementById("theirs").textContent = a.body.theirs;
        conflict.hidden = false;
        sayIn(status, form.getAttribute("data-conflict"), false);
      } else {
        sayIn(status, form.getAttribute("data-failed") + ": " + a.body.error, false);
      }
      return a;
    }, function () {
      button.disabled = false;
      sayIn(status, form.getAttribute("data-failed"), false);
      return { status: 0 };
    });
  };

  // wireSave saves with the form's button and Ctrl+S, and asks before the
  // page is left while unsaved() says there is unsaved text.
  shared.wireSave = function (form, submit, unsaved) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      submit();
    });
    document.addEventListener("keydown", function (ev) {
      if ((ev.ctrlKey || ev.metaKey) && ev.key === "s") {
        ev.preventDefault();
        submit();
      }
    });
    window.addEventListener("beforeunload", function (ev) {
      if (unsaved()) {
        ev.preventDefault();
        ev.returnValue = form.getAttribute("data-leave");
      }
    });
  };

  // wireMoves makes the delete and rename buttons work for the page in
  // path(): each first says which pages link to it. done(to) is called
  // before the browser leaves.
  shared.wireMoves = function (form, path, version, status, done) {
    function linkedFrom() {
      return fetch("links?path=" + encodeURIComponent(path()), { cache: "no-store" }).then(answer).then(function (a) {
        var files = a.status === 200 ? a.body.files : [];
        return files.length ? "\n\n" + form.getAttribute("data-linked") + "\n" + files.join("\n") : "";
      });
    }
    function move(method, url, to) {
      var body = JSON.stringify({ path: path(), to: to || "", version: version(), fixLinks: !!to });
      return fetch(url, { method: method, headers: { "Content-Type": "application/json" }, body: body }).then(answer).then(function (a) {
        if (a.status === 200) {
          done(to);
          location.href = to ? "page?path=" + encodeURIComponent(to) : "./";
        } else {
          sayIn(status, form.getAttribute("data-failed") + ": " + a.body.error, false);
        }
      });
    }
    document.getElementById("delete").addEventListener("click", function () {
      linkedFrom().then(function (links) {
        if (window.confirm(form.getAttribute("data-sure") + "\n" + path() + links)) {
          move("DELETE", "file");
        }
      });
    });
    document.getElementById("rename").addEventListener("click", function () {
      linkedFrom().then(function (links) {
        var to = window.prompt(form.getAttribute("data-rename") + links.replace(form.getAttribute("data-linked"), form.getAttribute("data-follow")), path());
        if (to && to !== path()) {
          move("POST", "rename", to);
        }
      });
    });
  };

  var find = document.getElementById("find");
  if (find) {
    find.addEventListener("input", function () {
      var words = find.value.toLowerCase().split(/\s+/).filter(Boolean);
      var groups = document.querySelectorAll(".ed__group");
      for (var g = 0; g < groups.length; g++) {
        var items = groups[g].querySelectorAll(".ed__page");
        var shown = 0;
        for (var i = 0; i < items.length; i++) {
          var text = items[i].getAttribute("data-find").toLowerCase();
          var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
          items[i].hidden = !hit;
          if (hit) {
            shown++;
          }
        }
        groups[g].hidden = shown === 0;
      }
    });
  }

  // 新建: a page of the kind from its archetype, then its editing page.
  var news = document.querySelectorAll(".ed__new");
  for (var n = 0; n < news.length; n++) {
    news[n].addEventListener("submit", function (ev) {
      ev.preventDefault();
      var form = ev.target;
      var status = form.querySelector(".ed__status");
      var body = JSON.stringify({ kind: form.getAttribute("data-kind"), title: form.elements.title.value });
      fetch("new", { method: "POST", headers: { "Content-Type": "application/json" }, body: body }).then(function (r) {
        return r.json().then(function (answer) {
          if (r.status === 200) {
            location.href = "page?path=" + encodeURIComponent(answer.path);
          } else {
            status.textContent = answer.error;
            status.className = "ed__status ed__status--failed";
          }
        });
      });
    });
  }

  var form = document.getElementById("editor");
  if (!form || !document.getElementById("text")) {
    return;
  }
  var path = form.getAttribute("data-path");
  var text = document.getElementById("text");
  var save = form.querySelector(".ed__save");
  var status = document.getElementById("status");
  var theirs = document.getElementById("theirs");
  var version = "";
  var saved = "";
  var problems = document.getElementById("problems");
  var problemList = document.getElementById("problem-list");

  // The build's problems with this file, each leading to its line.
  function showProblems(saved) {
    var query = "problems?path=" + encodeURIComponent(path) + (saved ? "&version=" + saved : "");
    return fetch(query, { cache: "no-store" }).then(answer).then(function (a) {
      // An answer to an older save than the last is no longer news.
      if (a.status !== 200 || (saved && saved !== version)) {
        return;
      }
      problemList.textContent = "";
      a.body.problems.forEach(function (p) {
        var item = document.createElement("li");
        item.className = p.warning ? "ed__problem ed__problem--warning" : "ed__problem";
        var at = document.createElement("button");
        at.type = "button";
        at.className = "ed__at";
        at.textContent = p.line > 0 ? p.line + ":" + p.col : path;
        at.addEventListener("click", function () {
          goToLine(p.line);
        });
        item.appendChild(at);
        item.appendChild(document.createTextNode(" " + p.message));
        problemList.appendChild(item);
      });
      problems.hidden = a.body.problems.length === 0;
    });
  }

  // goToLine puts the caret at the start of a line of the text.
  function goToLine(line) {
    var lines = text.value.split("\n");
    var offset = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) {
      offset += lines[i].length + 1;
    }
    text.focus();
    text.setSelectionRange(offset, offset + (lines[line - 1] || "").length);
  }

  function say(message, ok) {
    sayIn(status, message, ok);
  }

  fetch("file?path=" + encodeURIComponent(path), { cache: "no-store" }).then(answer).then(function (a) {
    if (a.status === 200) {
      version = a.body.version;
      saved = a.body.text;
      text.value = a.body.text;
    } else if (a.status === 404) {
      text.value = "";
    } else {
      say(a.body.error, false);
      return;
    }
    showProblems();
    text.disabled = false;
    save.disabled = false;
    // At the top, where the front matter is, not at the end.
    text.setSelectionRange(0, 0);
    text.focus();
    text.scrollTop = 0;
  });

  text.addEventListener("input", function () {
    if (text.value !== saved) {
      say(form.getAttribute("data-unsaved"), false);
    }
  });

  function submit() {
    shared.put(form, status, "file", { path: path, text: text.value, version: version }, function (a) {
      version = a.body.version;
      saved = a.body.text;
      // The build that reads what was saved.
      showProblems(version);
    }).then(function (a) {
      if (a.status === 409) {
        // The next save is made from the text on disk, once the editor
        // has chosen or merged.
        version = a.body.version;
      }
    });
  }

  // Images go into the page's folder, and a reference to them where the
  // caret is, its description selected for the editor to write over: an
  // image without one fails the inspection's rule.
  var picker = document.getElementById("image");
  var altText = picker.getAttribute("data-alt");
  function uploadImage(file, name) {
    return shared.upload(path, file, name).then(function (a) {
      if (a.status !== 200) {
        say(a.body.error, false);
        return;
      }
      var at = text.selectionStart;
      var reference = shared.imageReference(a.body.name, altText);
      text.value = text.value.slice(0, at) + reference + text.value.slice(text.selectionEnd);
      text.focus();
      text.setSelectionRange(at + 2, at + 2 + altText.length);
      say(form.getAttribute("data-unsaved"), false);
    });
  }
  picker.addEventListener("change", function () {
    if (picker.files.length > 0) {
      uploadImage(picker.files[0], picker.files[0].name).then(function () {
        picker.value = "";
      });
    }
  });
  text.addEventListener("paste", function (ev) {
    var image = shared.pastedImage(ev);
    if (image) {
      ev.preventDefault();
      uploadImage(image.file, image.name);
    }
  });

  shared.wireMoves(form, function () { return path; }, function () { return version; }, status, function () {
    saved = text.value;
  });

  shared.wireSave(form, submit, function () {
    return !text.disabled && text.value !== saved;
  });
  document.getElementById("use-theirs").addEventListener("click", function () {
    text.value = theirs.textContent;
  });
})();
