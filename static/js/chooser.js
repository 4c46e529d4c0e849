// Choosers (gcm_tracker/workspace/choosers.py) made into ARIA 1.2 comboboxes: typing asks the
// server's search (at most 20 matches), the arrow keys move through them, Enter adds one as a
// chip, Escape closes the list; each chip has a "Remove …" button. A live region says how many
// matched and what was added or removed. Without this script the same markup is a search box
// with a Search button and ticked checkboxes, and works as well. A chooser marked data-single
// (the public filters) holds one chip: choosing another replaces it.
(() => {
  "use strict";
  const DELAY_MS = 250;

  function say(template, value) {
    return template.replace("{}", value);
  }

  function enhance(root) {
    const name = root.dataset.name;
    const texts = root.dataset;
    const input = root.querySelector(".chooser-search input");
    const searchButton = root.querySelector(".chooser-search-button");
    const chosenList = root.querySelector(".chooser-chosen");
    const chosenLabel = root.querySelector(".chooser-chosen-label");
    const baseId = input.id.replace(/_q$/, "");
    const single = "single" in root.dataset;
    const labelText = input.labels.length ? input.labels[0].textContent.trim().replace(/:$/, "") : name;

    const listbox = document.createElement("ul");
    listbox.id = `${baseId}_listbox`;
    listbox.className = "chooser-listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", labelText);
    listbox.hidden = true;
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.after(listbox);
    root.append(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    // Gone rather than hidden: Enter elsewhere in the form must not submit it as a search.
    searchButton.remove();

    let options = [];
    let active = -1;
    let timer = null;
    let latest = 0;

    function announce(message) {
      // Emptied first, so the same message said twice is heard twice.
      status.textContent = "";
      window.setTimeout(() => {
        status.textContent = message;
      }, 50);
    }

    function chosenIds() {
      return new Set(
        Array.from(chosenList.querySelectorAll(`input[name="${name}"]`), (box) => box.value),
      );
    }

    function updateChosenLabel() {
      const count = chosenList.children.length;
      chosenLabel.textContent = count ? texts.textChosen : texts.textEmpty;
    }

    function chip(id, label) {
      const item = document.createElement("li");
      item.className = "chip";
      const value = document.createElement("input");
      value.type = "hidden";
      value.name = name;
      value.value = id;
      const text = document.createElement("span");
      text.className = "chip-label";
      text.textContent = label;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "chip-remove";
      const cross = document.createElement("span");
      cross.setAttribute("aria-hidden", "true");
      cross.textContent = "×";
      const spoken = document.createElement("span");
      spoken.className = "visually-hidden";
      spoken.textContent = say(texts.textRemove, label);
      remove.append(cross, spoken);
      remove.addEventListener("click", () => removeChip(item, label));
      item.append(value, text, remove);
      return item;
    }

    function removeChip(item, label) {
      const next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      updateChosenLabel();
      announce(say(texts.textRemoved, label));
      (next ? next.querySelector("button") : input).focus();
    }

    function add(id, label) {
      // A single chooser (a public filter) holds one row: a new choice replaces it.
      if (single && !chosenIds().has(String(id))) chosenList.replaceChildren();
      if (!chosenIds().has(String(id))) {
        chosenList.append(chip(String(id), label));
        updateChosenLabel();
      }
      input.value = "";
      close();
      announce(say(texts.textAdded, label));
      input.focus();
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function open() {
      if (options.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function setActive(index) {
      options.forEach((option, i) => {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
        option.classList.toggle("is-active", i === index);
      });
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }

    function show(results, more) {
      listbox.replaceChildren();
      const already = chosenIds();
      options = results
        .filter((result) => !already.has(String(result.id)))
        .map((result, i) => {
          const option = document.createElement("li");
          option.id = `${baseId}_option_${i}`;
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          option.textContent = result.label;
          // Keep the focus in the box when an option is clicked or tapped.
          option.addEventListener("mousedown", (event) => event.preventDefault());
          option.addEventListener("click", () => add(result.id, result.label));
          listbox.append(option);
          return option;
        });
      active = -1;
      if (!options.length) {
        close();
        announce(texts.textNone);
        return;
      }
      open();
      const count = options.length === 1 ? texts.textOne : say(texts.textMany, options.length);
      announce(more ? `${count} ${say(texts.textMore, results.length)}` : count);
    }

    async function search() {
      window.clearTimeout(timer);
      const query = input.value.trim();
      const ticket = ++latest;
      if (!query) {
        options = [];
        listbox.replaceChildren();
        close();
        return;
      }
      try {
        const source = root.dataset.source;
        const joiner = source.includes("?") ? "&" : "?";
        const response = await fetch(`${source}${joiner}q=${encodeURIComponent(query)}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        const data = await response.json();
        if (ticket !== latest) return; // an answer to an older search
        if (!response.ok) {
          close();
          announce(data.error || texts.textFailed);
          return;
        }
        show(data.results, data.more);
      } catch {
        if (ticket === latest) announce(texts.textFailed);
      }
    }

    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    });

    input.addEventListener("keydown", (event) => {
      switch (event.key) {
        case "ArrowDown":
        case "ArrowUp": {
          event.preventDefault();
          if (!options.length) return;
          open();
          const step = event.key === "ArrowDown" ? 1 : -1;
          const start = active < 0 && step < 0 ? options.length : active;
          setActive((start + step + options.length) % options.length);
          break;
        }
        case "Enter":
          // Never submits the form from here: Enter chooses, or searches now.
          event.preventDefault();
          if (!listbox.hidden && active >= 0) {
            options[active].click();
          } else {
            search();
          }
          break;
        case "Escape":
          if (!listbox.hidden) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
          }
          break;
        case "Tab":
          close();
          break;
        default:
      }
    });

    input.addEventListener("blur", close);

    // The ticked boxes the server rendered become chips; a chip's "Remove" replaces "Any".
    chosenList.querySelectorAll(".chooser-any").forEach((item) => item.remove());
    const boxes = chosenList.querySelectorAll(`input[name="${name}"]:is([type="checkbox"], [type="radio"])`);
    for (const box of Array.from(boxes)) {
      const item = box.closest("li");
      const label = item.textContent.trim();
      item.replaceWith(chip(box.value, label));
    }
    updateChosenLabel();
  }

  function start() {
    document.querySelectorAll("[data-chooser]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
