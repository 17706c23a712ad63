/* ICSOE portal: small enhancements. Every page works without this file (CSP: script-src 'self', no inline JS). */
(function () {
  "use strict";

  // ---- The menu: a <details> folded on a phone; open on a wide screen (the CSS also shows it there). ----
  var menu = document.querySelector("[data-menu]");
  if (menu && window.matchMedia) {
    var ancho = window.matchMedia("(min-width: 50.01rem)");
    var ajustarMenu = function () { menu.open = ancho.matches; };
    ajustarMenu();
    if (ancho.addEventListener) { ancho.addEventListener("change", ajustarMenu); }
  }

  // ---- The error summary: focused when the page shows it; each link puts the cursor in its field. ----
  var resumen = document.querySelector("[data-resumen-errores]");
  if (resumen) {
    resumen.focus();
    resumen.addEventListener("click", function (evento) {
      var enlace = evento.target.closest("a[href^='#']");
      var campo = enlace && document.getElementById(enlace.getAttribute("href").slice(1));
      if (campo) { evento.preventDefault(); campo.focus(); campo.scrollIntoView({ block: "center" }); }
    });
  }

  // ---- Tables: on a narrow screen every row becomes a card whose cells carry their column's name (the tables
  // marked in their template already do without JavaScript); a table that still scrolls can be scrolled with the
  // keyboard. ----
  Array.prototype.forEach.call(document.querySelectorAll("table.tabla:not(.tabla--apilada)"), function (tabla) {
    var titulos = Array.prototype.map.call(tabla.querySelectorAll("thead tr:first-child th"), function (th) {
      return th.textContent.replace(/\u00ad/g, "").replace(/\s+/g, " ").trim();  // without soft hyphens
    });
    if (!titulos.length) { return; }
    Array.prototype.forEach.call(tabla.querySelectorAll("tbody tr"), function (fila) {
      if (fila.cells.length !== titulos.length) { return; }
      Array.prototype.forEach.call(fila.cells, function (celda, i) {
        if (!celda.hasAttribute("data-label")) { celda.setAttribute("data-label", titulos[i]); }
      });
    });
    tabla.classList.add("tabla--apilada");
  });
  function envolturasDesplazables() {
    Array.prototype.forEach.call(document.querySelectorAll(".tabla-envoltura"), function (caja) {
      var tabla = caja.querySelector("table");
      if (caja.scrollWidth > caja.clientWidth + 1) {
        caja.setAttribute("tabindex", "0");
        caja.setAttribute("role", "region");
        caja.setAttribute("aria-label", (tabla && (tabla.getAttribute("aria-label") || tabla.id)) || "Tabla");
      } else if (caja.getAttribute("role") === "region") {
        caja.removeAttribute("tabindex"); caja.removeAttribute("role"); caja.removeAttribute("aria-label");
      }
    });
  }
  envolturasDesplazables();
  window.addEventListener("resize", envolturasDesplazables);

  // ---- «Copiar»: a button data-copiar="ID" copies that field's text (hidden without JavaScript: the field
  // itself is read-only and selectable). ----
  Array.prototype.forEach.call(document.querySelectorAll("[data-copiar]"), function (boton) {
    var campo = document.getElementById(boton.getAttribute("data-copiar"));
    var estadoCopia = document.querySelector("[data-copiar-estado]");
    if (!campo) { return; }
    boton.hidden = false;
    boton.addEventListener("click", function () {
      var avisar = function () { if (estadoCopia) { estadoCopia.textContent = boton.getAttribute("data-copiado") || "Copiado"; } };
      campo.focus();
      campo.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(campo.value).then(avisar, function () {
          if (document.execCommand("copy")) { avisar(); }
        });
      } else if (document.execCommand("copy")) {
        avisar();
      }
    });
  });

  // ---- The session: warn before it expires, keep it alive on request, and keep what was typed. ----
  // What was typed is kept for the person who typed it only: under its own key (an opaque id of the user the page
  // carries, never its RFC or CURP), restored only to it, dropped by the page of anyone else logged in in this
  // tab and by «Cerrar sesión» (a shared computer shows nobody what another typed).
  var PREFIJO = "icsoe-borrador:";
  var body = document.body;

  function olvidarBorradores(salvoDe) {
    try {
      var claves = [];
      for (var i = 0; i < window.sessionStorage.length; i++) { claves.push(window.sessionStorage.key(i)); }
      claves.forEach(function (clave) {
        if (clave.indexOf(PREFIJO) === 0 && (salvoDe === null || clave.indexOf(PREFIJO + salvoDe + ":") !== 0)) {
          window.sessionStorage.removeItem(clave);
        }
      });
    } catch (e) { /* storage off */ }
  }

  // «Cerrar sesión»: the header's form, or any other posting to the same address (allauth's logout page).
  var salir = document.querySelector(".encabezado__salir");
  var urlSalir = salir && salir.getAttribute("action");
  document.addEventListener("submit", function (evento) {
    if (urlSalir && evento.target.getAttribute("action") === urlSalir) { olvidarBorradores(null); }
  });

  var dialogo = document.getElementById("sesion-aviso");
  var segundos = parseInt(body.getAttribute("data-sesion-segundos"), 10);
  var aviso = parseInt(body.getAttribute("data-sesion-aviso"), 10);
  var usuario = body.getAttribute("data-sesion-usuario");
  if (!dialogo || isNaN(segundos) || isNaN(aviso) || !usuario) { return; }

  olvidarBorradores(usuario);
  var CLAVE = PREFIJO + usuario + ":" + window.location.pathname;
  var OMITIR = { password: 1, file: 1, hidden: 1, submit: 1, button: 1, reset: 1, image: 1 };
  var vence = 0;
  var temporizadores = [];
  var enfocadoAntes = null;

  function formularios() {
    var main = document.getElementById("contenido");
    return main ? Array.prototype.slice.call(main.querySelectorAll("form")) : [];
  }

  // What the user typed in this page's forms, kept in this tab only (sessionStorage), never passwords or files.
  function guardarBorrador() {
    var datos = [];
    formularios().forEach(function (form, indice) {
      Array.prototype.forEach.call(form.elements, function (campo) {
        if (!campo.name || OMITIR[campo.type] || campo.name === "csrfmiddlewaretoken") { return; }
        if (campo.type === "checkbox" || campo.type === "radio") {
          datos.push([indice, campo.name, campo.value, campo.checked]);
        } else {
          datos.push([indice, campo.name, campo.value, null]);
        }
      });
    });
    try { window.sessionStorage.setItem(CLAVE, JSON.stringify(datos)); } catch (e) { /* storage full or off */ }
  }

  function recuperarBorrador() {
    var guardado = null;
    try { guardado = window.sessionStorage.getItem(CLAVE); window.sessionStorage.removeItem(CLAVE); } catch (e) { return; }
    if (!guardado) { return; }
    var forms = formularios();
    var recuperados = 0;
    JSON.parse(guardado).forEach(function (fila) {
      var form = forms[fila[0]];
      if (!form) { return; }
      Array.prototype.forEach.call(form.elements, function (campo) {
        if (campo.name !== fila[1]) { return; }
        if (fila[3] === null) {
          if (campo.value !== fila[2]) { campo.value = fila[2]; recuperados++; }
        } else if (campo.value === fila[2] && campo.checked !== fila[3]) {
          campo.checked = fila[3]; recuperados++;
        }
      });
    });
    var nota = document.querySelector("[data-sesion-recuperado]");
    if (recuperados && nota) { nota.hidden = false; }
  }

  function limpiar() { temporizadores.forEach(window.clearTimeout); temporizadores = []; }

  function estado(nombre) {
    Array.prototype.forEach.call(dialogo.querySelectorAll("[data-sesion-estado]"), function (parte) {
      parte.hidden = parte.getAttribute("data-sesion-estado") !== nombre;
    });
  }

  function abrir() {
    if (dialogo.open) { return; }
    enfocadoAntes = document.activeElement;
    if (dialogo.showModal) { dialogo.showModal(); } else { dialogo.setAttribute("open", ""); }
    var boton = dialogo.querySelector("[data-sesion-estado]:not([hidden]) .boton");
    if (boton) { boton.focus(); }
  }

  function cerrar() {
    if (dialogo.close) { dialogo.close(); } else { dialogo.removeAttribute("open"); }
    if (enfocadoAntes && enfocadoAntes.focus) { enfocadoAntes.focus(); }
  }

  function contar() {
    var restante = Math.max(0, Math.round((vence - Date.now()) / 1000));
    var min = Math.floor(restante / 60);
    var seg = restante % 60;
    var texto = min > 0 ? min + (min === 1 ? " minuto" : " minutos") + (seg ? " y " + seg + " segundos" : "")
                        : seg + (seg === 1 ? " segundo" : " segundos");
    var lugar = dialogo.querySelector("[data-sesion-restante]");
    if (lugar) { lugar.textContent = texto; }
  }

  function avisar() {
    estado("por-expirar");
    contar();
    abrir();
    temporizadores.push(window.setInterval(contar, 1000));
  }

  function expirar() {
    limpiar();
    guardarBorrador();
    estado("expirada");
    if (dialogo.open) { cerrar(); }
    abrir();
  }

  function programar(restantes) {
    limpiar();
    vence = Date.now() + restantes * 1000;
    temporizadores.push(window.setTimeout(avisar, Math.max(0, restantes - aviso) * 1000));
    temporizadores.push(window.setTimeout(expirar, restantes * 1000));
  }

  var seguir = dialogo.querySelector("[data-sesion-seguir]");
  if (seguir) {
    seguir.addEventListener("click", function () {
      var datos = new FormData();
      datos.append("csrfmiddlewaretoken", seguir.getAttribute("data-csrf"));
      window.fetch(seguir.getAttribute("data-sesion-seguir"), {
        method: "POST", body: datos, credentials: "same-origin", redirect: "manual",
        headers: { "Accept": "application/json" }
      }).then(function (respuesta) {
        if (!respuesta.ok) { throw new Error("sesión expirada"); }
        return respuesta.json();
      }).then(function (respuesta) {
        cerrar();
        programar(respuesta.segundos);
      }).catch(expirar);
    });
  }
  // Esc would close the dialog without renewing the session: treat it as "not now", the timers keep running.
  dialogo.addEventListener("cancel", function () { if (enfocadoAntes && enfocadoAntes.focus) { enfocadoAntes.focus(); } });

  recuperarBorrador();
  programar(segundos);
}());
