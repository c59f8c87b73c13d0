// Intake: Alt+1…9 picks the category without leaving the serial field.
(function () {
  document.addEventListener("keydown", (event) => {
    if (!event.altKey || !/^[1-9]$/.test(event.key)) return;
    const choice = document.querySelector(`#intake input[name="category"][data-key="${event.key}"]`);
    if (!choice) return;
    event.preventDefault();
    choice.checked = true;
    document.getElementById("serial").focus();
  });
})();
