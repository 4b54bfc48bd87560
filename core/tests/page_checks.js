// What a reader of the page would call wrong, read from the rendered page (core/tests/test_words_browser.py).
// Text inside [data-user] or [translate=no] is the users' own data or a proper name (a unit's
// Chinese name, a person, a title someone typed, a language's own name) and is not checked for
// language. Returns {han: [...], english: [...], rejected: [...], clipped: [...]}.
(lang) => {
  const skip = (el) => el.closest("[data-user], [translate=no], script, style, noscript, code, kbd, samp, svg, .figure-code");
  const HAN = /[\u3400-\u9fff]/;
  // Words that are the same in every language here: file formats and standards' names.
  const KEPT = new Set(["PDF", "Word", "Excel", "XLSX", "xlsx", "CSV", "API", "Open311", "JSON", "ISO", "URL", "HTML"]);
  const found = { han: [], english: [], rejected: [], clipped: [] };
  const where = (el) => {
    const id = el.id ? "#" + el.id : "";
    const cls = el.classList && el.classList.length ? "." + [...el.classList].join(".") : "";
    return el.tagName.toLowerCase() + id + cls;
  };
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.trim();
    if (text && !skip(node.parentElement)) texts.push([text, node.parentElement]);
  }
  // Attributes that a reader sees or hears.
  document.body.querySelectorAll("[placeholder], [title], [aria-label], img[alt]").forEach((el) => {
    if (skip(el)) return;
    for (const name of ["placeholder", "title", "aria-label", "alt"]) {
      const value = el.getAttribute(name);
      if (value) texts.push([value, el]);
    }
  });
  if (document.title) texts.push([document.title, document.head]);
  for (const [text, el] of texts) {
    if (lang === "bo" && HAN.test(text)) found.han.push(`${where(el)}: ${text.slice(0, 80)}`);
    if (lang !== "en") {
      const words = (text.match(/[A-Za-z]{2,}/g) || []).filter((w) => !KEPT.has(w));
      if (words.length) found.english.push(`${where(el)}: ${text.slice(0, 80)}`);
    }
  }
  // Controls whose value the browser refused (a date sent as 2021/12/31 opens blank).
  document.querySelectorAll("input").forEach((input) => {
    const sent = input.getAttribute("value");
    if ((sent && input.value === "" && input.type !== "file") || input.validity.badInput || input.validity.typeMismatch) {
      found.rejected.push(`${where(input)} value=${sent}`);
    }
  });
  // Text cut off by its own box: an element that holds text and whose content is wider than
  // the box, or taller than a box that clips it or shows its edge (a badge, a button), unless the
  // box scrolls on purpose. (A plain paragraph's taller content only spills into its margin.)
  document.body.querySelectorAll("*").forEach((el) => {
    if (skip(el) || el.closest(".table-wrap")) return;
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.nodeValue.trim());
    if (!ownText) return;
    const style = getComputedStyle(el);
    if (style.display === "inline" || style.display === "none" || style.visibility === "hidden") return;
    if (["auto", "scroll"].includes(style.overflowX) || ["auto", "scroll"].includes(style.overflowY)) return;
    if (el.clientWidth <= 1 || el.clientHeight <= 1) return; // absent, or hidden for screen readers only
    const edged = style.backgroundColor !== "rgba(0, 0, 0, 0)" || parseFloat(style.borderTopWidth) > 0
      || style.overflowY !== "visible";
    if (el.scrollWidth > el.clientWidth + 1 || (edged && el.scrollHeight > el.clientHeight + 1)) {
      found.clipped.push(`${where(el)} ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}: ${el.textContent.trim().slice(0, 40)}`);
    }
  });
  return found;
}
