/*
 * The e.firma in the browser (docs/firma-en-navegador.md), on the login (/acceso/efirma/) and on Firmar.
 *
 * The .cer, the .key and the password are read here and never sent: their inputs have no name. The key is
 * decrypted with node-forge (static/vendor/node-forge): PKCS#8 EncryptedPrivateKeyInfo, DER or PEM, PBES2
 * (PBKDF2 with HMAC-SHA1 or -SHA256, 3DES or AES), the password tried as UTF-8 and then as Latin-1, as the
 * server did when it still received keys. Then:
 *   "Validar"  checks the key against the certificate, posts the RFC and the certificate (base64) to the
 *              form's data-efirma-validar URL and receives what to sign: a one-time challenge at login, the
 *              cadena original at Firmar (shown on the page);
 *   submit     ("Ingresar" / "Firmar") signs that text (RSA PKCS#1 v1.5, SHA-256, UTF-8 bytes) and posts
 *              RFC, certificate, the reto's id and the signature. A submit button marked
 *              data-efirma-tras-validar ("Firmar", as the guide shows it) is enabled only after a successful
 *              "Validar" and disabled again as soon as a field changes; "Ingresar" validates first by itself.
 * Messages are the server's own Spanish texts, given to the page in the #efirma-mensajes JSON.
 */
(function () {
  "use strict";

  var forge = window.forge;
  var MAX_ITERACIONES = 100000; // firma/sat.py MAX_ITERACIONES_KDF: a bigger count is refused as not SAT's
  var LIMITE_ARCHIVO = 64 * 1024; // contratistas/acceso.py LIMITE_ARCHIVO
  var OID_PBES2 = "1.2.840.113549.1.5.13";
  var OID_PBKDF2 = "1.2.840.113549.1.5.12";

  /* A refusal to show: "campo" is set when it belongs under one input, otherwise it goes to the result box. */
  function Fallo(clave, campo) {
    this.clave = clave;
    this.campo = campo || null;
  }

  // ---------------------------------------------------------------------------------------------------
  // Files and keys (pure functions of bytes, as "binary strings": one char per byte, what forge uses)
  // ---------------------------------------------------------------------------------------------------
  function leerArchivo(input, requerido, vacio, grande) {
    var archivo = input.files && input.files[0];
    if (!archivo) return Promise.reject(new Fallo(requerido, input));
    if (archivo.size === 0) return Promise.reject(new Fallo(vacio, input));
    if (archivo.size > LIMITE_ARCHIVO) return Promise.reject(new Fallo(grande, input));
    return archivo.arrayBuffer().then(function (buffer) {
      return forge.util.binary.raw.encode(new Uint8Array(buffer));
    });
  }

  /* DER of the first PEM block whose label ends with `sufijo`, or the data itself when it is not PEM. */
  function pemADer(datos, sufijo, ilegible) {
    if (datos.indexOf("-----BEGIN") < 0) return { der: datos, etiqueta: null };
    var bloques;
    try {
      bloques = forge.pem.decode(datos);
    } catch (e) {
      throw new Fallo(ilegible);
    }
    for (var i = 0; i < bloques.length; i++) {
      if (bloques[i].type.slice(-sufijo.length) === sufijo) {
        return { der: bloques[i].body, etiqueta: bloques[i].type, cifrado_pem: !!bloques[i].procType };
      }
    }
    throw new Fallo(ilegible);
  }

  /* The public key of a certificate, read from its SubjectPublicKeyInfo (SAT certificates carry Latin-1 in
     T61Strings, which a full certificate parser may refuse; the SPKI is all the check needs). */
  function llavePublica(cer) {
    try {
      var der = pemADer(cer, "CERTIFICATE", "cer_ilegible").der;
      var tbs = forge.asn1.fromDer(der).value[0].value;
      var desplazamiento = tbs[0].tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
      return forge.pki.publicKeyFromAsn1(tbs[desplazamiento + 5]);
    } catch (e) {
      if (e instanceof Fallo) throw e;
      throw new Fallo("cer_ilegible");
    }
  }

  /* The password's byte forms to try: UTF-8 (SAT's encoding), then Latin-1 when it differs and exists. */
  function contrasenas(password) {
    var utf8 = forge.util.encodeUtf8(password);
    var candidatas = [utf8];
    if (/^[\u0000-\u00ff]*$/.test(password) && password !== utf8) candidatas.push(password);
    return candidatas;
  }

  function enteroAsn1(nodo) {
    return parseInt(forge.util.bytesToHex(nodo.value), 16);
  }

  /* Checks the container is an encrypted PKCS#8 key we accept, before spending time on the password. */
  function revisarContenedor(asn1) {
    var partes = asn1.value;
    var esCifrada =
      Array.isArray(partes) && partes.length === 2 && Array.isArray(partes[0].value) &&
      partes[1].type === forge.asn1.Type.OCTETSTRING;
    if (!esCifrada) {
      try {
        forge.pki.privateKeyFromAsn1(asn1);
      } catch (e) {
        throw new Fallo("key_ilegible");
      }
      throw new Fallo("key_sin_contrasena"); // an unencrypted key is not what SAT issues
    }
    var algoritmo = forge.asn1.derToOid(partes[0].value[0].value);
    if (algoritmo !== OID_PBES2) {
      // PBES1 / PKCS#12 PBE: accepted by the server before, decrypted by forge too; the count still bounded.
      if (algoritmo.indexOf("1.2.840.113549.1.5.") !== 0 && algoritmo.indexOf("1.2.840.113549.1.12.1.") !== 0) {
        throw new Fallo("key_formato");
      }
      var iteraciones = enteroAsn1(partes[0].value[1].value[1]);
      if (!(iteraciones > 0 && iteraciones <= MAX_ITERACIONES)) throw new Fallo("key_formato");
      return;
    }
    var kdf = partes[0].value[1].value[0];
    if (forge.asn1.derToOid(kdf.value[0].value) !== OID_PBKDF2) throw new Fallo("key_formato");
    var cuenta = enteroAsn1(kdf.value[1].value[1]);
    if (!(cuenta > 0 && cuenta <= MAX_ITERACIONES)) throw new Fallo("key_formato");
  }

  /* Decrypts a .key with its password; returns a forge RSA private key or throws a Fallo. */
  function descifrarLlave(datos, password) {
    var pem = pemADer(datos, "PRIVATE KEY", "key_ilegible");
    if (pem.cifrado_pem) throw new Fallo("key_formato"); // legacy OpenSSL "Proc-Type: 4,ENCRYPTED"
    var asn1;
    try {
      asn1 = forge.asn1.fromDer(pem.der);
    } catch (e) {
      throw new Fallo("key_ilegible");
    }
    try {
      revisarContenedor(asn1);
    } catch (e) {
      if (e instanceof Fallo) throw e;
      throw new Fallo("key_formato");
    }
    var candidatas = contrasenas(password);
    for (var i = 0; i < candidatas.length; i++) {
      var llave = null;
      try {
        var info = forge.pki.decryptPrivateKeyInfo(asn1, candidatas[i]); // null on bad padding
        llave = info && forge.pki.privateKeyFromAsn1(info);
      } catch (e) {
        if (/Unsupported|not supported/i.test(String(e && e.message))) throw new Fallo("key_formato");
        llave = null; // a wrong password that happened to unpad: garbage that is not a key
      }
      if (llave && llave.p && llave.q && llave.p.multiply(llave.q).equals(llave.n)) {
        var bits = llave.n.bitLength();
        if (bits < 1024 || bits > 4096) throw new Fallo("key_formato");
        return llave;
      }
    }
    throw new Fallo("contrasena_incorrecta");
  }

  function firmar(llave, texto) {
    var md = forge.md.sha256.create();
    md.update(texto, "utf8");
    return forge.util.encode64(llave.sign(md)); // RSASSA-PKCS1-v1_5
  }

  // ---------------------------------------------------------------------------------------------------
  // The page
  // ---------------------------------------------------------------------------------------------------
  function iniciar(form) {
    var mensajes = JSON.parse(document.getElementById("efirma-mensajes").textContent);
    var resultado = form.querySelector("#resultado-validacion");
    var entrada = function (nombre) { return form.querySelector('[data-efirma="' + nombre + '"]'); };
    var oculto = function (nombre) { return form.querySelector('input[type="hidden"][name="' + nombre + '"]'); };
    var botones = form.querySelectorAll("[data-efirma-accion]");
    var botonEnviar = form.querySelector('[data-efirma-accion="enviar"]');
    var trasValidar = botonEnviar.hasAttribute("data-efirma-tras-validar");
    var validada = null; // {llave, reto, mensaje, certificado}: what "Validar" produced for the current inputs
    var ocupado = false;

    /* "Firmar" (data-efirma-tras-validar) is usable only while what "Validar" produced is current. */
    function habilitarEnviar() {
      if (trasValidar && !ocupado) botonEnviar.disabled = !validada;
    }

    function parrafo(clase, texto, rol) {
      var p = document.createElement("p");
      p.className = clase;
      p.setAttribute("role", rol);
      p.textContent = texto;
      return p;
    }

    function limpiarErrores() {
      form.querySelectorAll(".campo__error[data-efirma-error]").forEach(function (p) { p.remove(); });
      form.querySelectorAll(".campo--error").forEach(function (c) { c.classList.remove("campo--error"); });
      resultado.replaceChildren();
    }

    function errorDeCampo(contenedor, texto) {
      if (!contenedor) return;
      contenedor.classList.add("campo--error");
      var p = parrafo("campo__error", texto, "alert");
      p.setAttribute("data-efirma-error", "");
      contenedor.appendChild(p);
    }

    function mostrarError(texto, campos) {
      limpiarErrores();
      Object.keys(campos || {}).forEach(function (nombre) {
        var input = form.querySelector('[name="' + nombre + '"]');
        (campos[nombre] || []).forEach(function (t) { errorDeCampo(input && input.closest(".campo"), t); });
      });
      resultado.appendChild(parrafo("mensaje mensaje--error", texto, "alert"));
    }

    function mostrarFallo(fallo) {
      var texto = mensajes[fallo.clave] || fallo.clave;
      if (fallo.campo) {
        limpiarErrores();
        errorDeCampo(fallo.campo.closest(".campo"), texto);
        resultado.appendChild(parrafo("mensaje mensaje--error", mensajes.revisa, "alert"));
      } else {
        mostrarError(texto);
      }
    }

    function mostrarExito(respuesta) {
      limpiarErrores();
      resultado.appendChild(parrafo("mensaje mensaje--success validacion-ok", respuesta.exito, "status"));
      if (respuesta.cadena_original) { // Firmar: the exact text the e.firma signs
        var titulo = document.createElement("h3");
        titulo.textContent = "Cadena original";
        var pre = document.createElement("pre");
        pre.className = "cadena-original";
        pre.setAttribute("data-cadena-original", "");
        pre.textContent = respuesta.cadena_original;
        resultado.append(titulo, pre);
      }
    }

    /* "Validar": local key checks, then the server's certificate checks and the text to sign. */
    function validar() {
      validada = null;
      var password = entrada("contrasena").value;
      var cer, key;
      return leerArchivo(entrada("certificado"), "cer_requerido", "cer_vacio", "cer_grande")
        .then(function (datos) { cer = datos; return leerArchivo(entrada("llave"), "key_requerida", "key_vacia", "key_grande"); })
        .then(function (datos) {
          key = datos;
          if (!password) throw new Fallo("contrasena_requerida", entrada("contrasena"));
          var publica = llavePublica(cer);
          var llave = descifrarLlave(key, password);
          if (!llave.n.equals(publica.n) || !llave.e.equals(publica.e)) throw new Fallo("llave_no_corresponde");
          var derCer = pemADer(cer, "CERTIFICATE", "cer_ilegible").der;
          var cuerpo = new URLSearchParams();
          cuerpo.set("csrfmiddlewaretoken", form.querySelector('[name="csrfmiddlewaretoken"]').value);
          cuerpo.set("rfc", form.querySelector('[name="rfc"]').value);
          cuerpo.set("certificado", forge.util.encode64(derCer));
          return fetch(form.getAttribute("data-efirma-validar"), {
            method: "POST",
            body: cuerpo,
            credentials: "same-origin",
            headers: { Accept: "application/json" },
          }).then(function (r) {
            if (!r.headers.get("Content-Type") || r.headers.get("Content-Type").indexOf("json") < 0) {
              throw new Fallo("error_red");
            }
            return r.json();
          }, function () { throw new Fallo("error_red"); })
            .then(function (respuesta) {
              if (respuesta.error) {
                mostrarError(respuesta.error, respuesta.campos);
                return null;
              }
              validada = { llave: llave, reto: respuesta.reto, mensaje: respuesta.mensaje, certificado: cuerpo.get("certificado") };
              mostrarExito(respuesta);
              return validada;
            });
        });
    }

    function conBotones(accion) {
      if (ocupado) return;
      ocupado = true;
      botones.forEach(function (b) { b.disabled = true; });
      form.setAttribute("aria-busy", "true");
      Promise.resolve()
        .then(accion)
        .catch(function (e) {
          validada = null;
          mostrarFallo(e instanceof Fallo ? e : new Fallo("key_ilegible"));
        })
        .then(function () {
          ocupado = false;
          form.removeAttribute("aria-busy");
          botones.forEach(function (b) { b.disabled = false; });
          habilitarEnviar();
        });
    }

    /* "Ingresar" / "Firmar": validates first when needed, signs, and posts only certificate, reto and firma. */
    function enviar() {
      if (trasValidar && !validada) return validar(); // "Firmar" signs only what a "Validar" showed
      return (validada ? Promise.resolve(validada) : validar()).then(function (v) {
        if (!v) return;
        oculto("certificado").value = v.certificado;
        oculto("reto").value = v.reto;
        oculto("firma").value = firmar(v.llave, v.mensaje);
        validada = null; // the reto is single-use
        HTMLFormElement.prototype.submit.call(form); // no submit event: this handler does not run again
        return new Promise(function () {}); // the page is leaving: keep the buttons disabled
      });
    }

    // Any change of the inputs drops what "Validar" produced: it was for the previous files.
    function cambio() {
      if (trasValidar && validada) resultado.replaceChildren(); // its success no longer holds
      validada = null;
      habilitarEnviar();
    }
    form.addEventListener("input", cambio);
    form.addEventListener("change", cambio);
    form.querySelector('[data-efirma-accion="validar"]').addEventListener("click", function () { conBotones(validar); });
    form.addEventListener("submit", function (evento) { evento.preventDefault(); conBotones(enviar); });
    botones.forEach(function (b) { b.disabled = false; });
    habilitarEnviar();
  }

  // The pure steps, for the browser tests and bench/bench_firma_navegador.py (they run the page's own code).
  window.icsoeEfirma = { descifrarLlave: descifrarLlave, llavePublica: llavePublica, firmar: firmar, Fallo: Fallo };

  document.querySelectorAll("form[data-efirma-form]").forEach(iniciar);
})();
