// Contratante tab. Every field a lookup filled belongs to the RFC it was filled for: the razón social
// (id_razon_social_rfc says which RFC) and whatever the catálogo filled (id_llenado_rfc, id_llenado_campos).
// When the RFC is changed they are cleared at once (the server clears them on "Validar" and refuses them at
// save too: informativas.captura.services). A filled field the user edits is theirs from then on.
// The domicilio social is asked only of a persona moral (RFC of 12 characters).
(function () {
  "use strict";

  function vaciar(nombre) {
    Array.prototype.forEach.call(document.getElementsByName(nombre), function (control) {
      if (control.type === "radio" || control.type === "checkbox") {
        control.checked = false;
      } else {
        control.value = "";
      }
    });
  }

  function rfcCambiado(rfc) {
    var deRfc = document.getElementById("id_razon_social_rfc");
    var nombre = document.getElementById("id_razon_social");
    if (deRfc && nombre && deRfc.value && rfc !== deRfc.value) {
      nombre.value = "";
      deRfc.value = "";
    }
    var llenadoRfc = document.getElementById("id_llenado_rfc");
    var llenados = document.getElementById("id_llenado_campos");
    if (llenadoRfc && llenados && llenadoRfc.value && rfc !== llenadoRfc.value) {
      llenados.value.split(/\s+/).filter(Boolean).forEach(vaciar);
      llenadoRfc.value = "";
      llenados.value = "";
    }
    var social = document.getElementById("pregunta-domicilio-social");
    if (social) { social.hidden = rfc.length !== 12; }
  }

  function campoTecleado(nombre) {
    var llenados = document.getElementById("id_llenado_campos");
    if (!llenados || !nombre) { return; }
    llenados.value = llenados.value.split(/\s+/).filter(function (c) { return c && c !== nombre; }).join(" ");
  }

  function alCambiar(evento) {
    var control = evento.target;
    if (!control.form || control.form.id !== "contratante-form") { return; }
    if (control.id === "id_rfc") {
      rfcCambiado(control.value.trim().toUpperCase());
    } else {
      campoTecleado(control.name);
    }
  }

  document.addEventListener("input", alCambiar);
  document.addEventListener("change", alCambiar);
})();
