// Show only the audience fields that the chosen target needs (the service checks them anyway).
(function () {
  "use strict";
  var kind = document.getElementById("id_target_kind");
  if (!kind) { return; }
  var needs = { kelurahan: [], rw: ["rw"], program: ["program", "rw"], group: ["group", "rw"] };
  function wrap(name) { return document.querySelector('.notif-field[data-field="' + name + '"]'); }
  function update() {
    var wanted = needs[kind.value] || [];
    ["rw", "group"].forEach(function (name) {
      var el = wrap(name);
      if (el) { el.hidden = wanted.indexOf(name) === -1; }
    });
  }
  kind.addEventListener("change", update);
  update();
})();
