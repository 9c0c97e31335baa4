// Flip cards: without this script both sides of a card are shown, one above
// the other. With it, each card shows its front and a button (or a click on
// the card) turns it over; the hidden side is taken out of the accessibility
// tree so screen readers read only the visible face.
(function () {
  "use strict";
  function setFace(card, flipped) {
    card.classList.toggle("is-flipped", flipped);
    card.querySelector(".flipcard__toggle").setAttribute("aria-pressed", String(flipped));
    card.querySelector(".flipcard__front").toggleAttribute("inert", flipped);
    card.querySelector(".flipcard__back").toggleAttribute("inert", !flipped);
  }
  document.querySelectorAll("[data-flipcard]").forEach(function (card) {
    var button = card.querySelector(".flipcard__toggle");
    if (!button) return;
    card.classList.add("flipcard--js");
    button.hidden = false;
    setFace(card, false);
    // Only animate turns the reader asks for, not the first layout.
    requestAnimationFrame(function () {
      requestAnimationFrame(function () { card.classList.add("flipcard--ready"); });
    });
    button.addEventListener("click", function () {
      setFace(card, !card.classList.contains("is-flipped"));
    });
    card.querySelector(".flipcard__inner").addEventListener("click", function (e) {
      if (e.target.closest("a")) return;
      setFace(card, !card.classList.contains("is-flipped"));
    });
  });
})();
