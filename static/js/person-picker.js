// Person picker: a <select data-person-picker="search url"> becomes a
// search box with a list of matches and chips for the chosen people. The
// select stays in the form (hidden) and keeps the chosen ids as selected
// options, so the form posts what it always posted. Names are written
// with textContent only: a name is never read as markup.
(function () {
  "use strict";

  var WAIT_MS = 200;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function start(select) {
    var url = select.getAttribute("data-person-picker");
    var multiple = select.multiple;
    var label = function (name) { return select.getAttribute("data-picker-" + name) || ""; };
    var listId = (select.id || select.name) + "-results";

    var box = el("div", "person-picker");
    var chips = el("ul", "person-picker-chips list-unstyled");
    var input = el("input", "form-control");
    input.type = "search";
    input.autocomplete = "off";
    input.maxLength = 50;
    input.placeholder = label("placeholder");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("data-testid", "person-picker-search");
    var list = el("ul", "person-picker-results list-group");
    list.id = listId;
    list.setAttribute("role", "listbox");
    if (multiple) list.setAttribute("aria-multiselectable", "true");
    list.hidden = true;
    var status = el("div", "visually-hidden");
    status.setAttribute("aria-live", "polite");

    if (select.id) {
      input.id = select.id + "-search";
      var owner = document.querySelector('label[for="' + select.id + '"]');
      if (owner) owner.htmlFor = input.id;
    }
    // The hidden select cannot show the browser's "fill this in": the box does.
    var required = select.required;
    select.required = false;
    if (select.getAttribute("aria-invalid")) input.classList.add("is-invalid");
    select.classList.add("d-none");
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    box.appendChild(chips);
    box.appendChild(input);
    box.appendChild(list);
    box.appendChild(status);
    select.parentNode.insertBefore(box, select.nextSibling);

    var results = [];
    var active = -1;
    var page = 1;
    var more = false;
    var timer = null;
    var asked = 0;

    function chosen() {
      return Array.prototype.filter.call(select.options, function (o) { return o.selected && o.value; });
    }

    function drawChips() {
      chips.textContent = "";
      input.required = required && !chosen().length;
      chosen().forEach(function (option) {
        var chip = el("li", "person-picker-chip");
        chip.setAttribute("data-testid", "person-picker-chip");
        chip.appendChild(el("span", "", option.textContent));
        var remove = el("button", "btn-close");
        remove.type = "button";
        remove.setAttribute("aria-label", label("remove") + " " + option.textContent);
        remove.addEventListener("click", function () { unpick(option.value); input.focus(); });
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
    }

    function optionFor(value) {
      return Array.prototype.find.call(select.options, function (o) { return o.value === String(value); });
    }

    function pick(person) {
      if (!multiple) {
        // A one-person select would fall back to its first option: keep none.
        Array.prototype.slice.call(select.options).forEach(function (o) {
          if (o.value !== String(person.id)) o.remove();
        });
      }
      var option = optionFor(person.id);
      if (!option) {
        option = new Option(person.name, String(person.id));
        select.appendChild(option);
      }
      option.selected = true;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      drawChips();
      input.value = "";
      close();
      status.textContent = person.name;
    }

    function unpick(value) {
      // Removed, not only unselected: a one-person select would otherwise
      // send it again as its first option.
      var option = optionFor(value);
      if (option) option.remove();
      select.dispatchEvent(new Event("change", { bubbles: true }));
      drawChips();
    }

    function close() {
      window.clearTimeout(timer);  // nor a search typed before it closed
      asked++;  // an answer still on its way is not shown
      list.hidden = true;
      list.textContent = "";
      results = [];
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      if (!items.length) return;
      active = (index + items.length) % items.length;
      Array.prototype.forEach.call(items, function (item, i) {
        item.classList.toggle("active", i === active);
        item.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function draw() {
      list.textContent = "";
      results.forEach(function (person, i) {
        var item = el("li", "list-group-item list-group-item-action");
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("data-testid", "person-picker-option");
        item.appendChild(el("span", "", person.name));
        if (person.detail) item.appendChild(el("span", "text-body-secondary small ms-2", person.detail));
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { pick(person); input.focus(); });
        list.appendChild(item);
      });
      if (!results.length) list.appendChild(el("li", "list-group-item text-body-secondary", label("empty")));
      if (more) {
        var next = el("li", "list-group-item list-group-item-action text-primary", label("more"));
        next.addEventListener("mousedown", function (event) { event.preventDefault(); });
        next.addEventListener("click", function () { search(page + 1); });
        list.appendChild(next);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      if (results.length) highlight(0);
    }

    function search(wanted) {
      var ask = ++asked;
      var address = new URL(url, window.location.href);
      address.searchParams.set("q", input.value.trim());
      address.searchParams.set("page", String(wanted));
      fetch(address.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (body) {
          if (ask !== asked) return;
          // Who is chosen already is not offered again.
          var taken = chosen().map(function (o) { return o.value; });
          var fresh = body.results.filter(function (p) { return taken.indexOf(String(p.id)) < 0; });
          results = wanted > 1 ? results.concat(fresh) : fresh;
          page = wanted;
          more = body.more;
          draw();
        })
        .catch(function () {
          if (ask !== asked) return;
          results = [];
          more = false;
          list.textContent = "";
          list.appendChild(el("li", "list-group-item text-danger", label("failed")));
          list.hidden = false;
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { search(1); }, WAIT_MS);
    });
    input.addEventListener("focus", function () { if (list.hidden) search(1); });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) search(1); else highlight(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0 && results[active]) {
          event.preventDefault();
          pick(results[active]);
        } else if (!list.hidden || input.value.trim()) {
          // Typed text is a search, never the form's submit.
          event.preventDefault();
        }
      } else if (event.key === "Escape") {
        close();
      } else if (event.key === "Backspace" && input.value === "") {
        var last = chosen().pop();
        if (last) unpick(last.value);
      }
    });

    drawChips();
  }

  function startAll(root) {
    root.querySelectorAll("select[data-person-picker]").forEach(function (select) {
      if (select.getAttribute("data-picker-started")) return;
      select.setAttribute("data-picker-started", "1");
      start(select);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { startAll(document); });
  document.addEventListener("htmx:load", function (event) { startAll(event.target); });
})();
