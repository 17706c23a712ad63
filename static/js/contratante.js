// Contratante tab: the razón social shown belongs to the RFC it was validated with. When the RFC is changed,
// the name is cleared at once (the server refuses it too: informativas.services.contratante_razon_social_revisar).
(function () {
  "use strict";
  document.addEventListener("input", function (evento) {
    var rfc = evento.target;
    if (rfc.id !== "id_rfc") { return; }
    var deRfc = document.getElementById("id_razon_social_rfc");
    var nombre = document.getElementById("id_razon_social");
    if (!deRfc || !nombre || !deRfc.value) { return; }
    if (rfc.value.trim().toUpperCase() !== deRfc.value) {
      nombre.value = "";
      deRfc.value = "";
    }
  });
})();
