"""The SAT's published lists (CFF arts. 69, 69-B and 69-B Bis): each file loaded (CargaLista), its hits, one
per RFC and list (Coincidencia), and each check of SAT's current file (Verificacion), which the «no verificado»
rule reads."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from core.models import BaseModel


class CargaLista(BaseModel):
    """One file of one list loaded. At most one load per list is in force (estado VIGENTE); a new load's rows
    are written while the previous one stays in force, and the switch happens in the same transaction."""

    class Estado(models.TextChoices):
        CARGANDO = "cargando", "Cargando"
        VIGENTE = "vigente", "Vigente"
        REEMPLAZADA = "reemplazada", "Reemplazada"
        RECHAZADA = "rechazada", "Rechazada"
        FALLIDA = "fallida", "Fallida"

    class OrigenCorte(models.TextChoices):
        EN_ARCHIVO = "en_archivo", "Fecha de actualización dentro del archivo"
        PUBLICACION = "publicacion", "Fecha de publicación del archivo"
        SIN_FECHA = "sin_fecha", "Sin fecha de corte"

    lista = models.CharField("lista", max_length=40, db_index=True)
    estado = models.CharField("estado", max_length=12, choices=Estado.choices, default=Estado.CARGANDO)
    origen = models.CharField("archivo o URL", max_length=500)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    tamano = models.BigIntegerField("tamaño (bytes)", default=0)
    codificacion = models.CharField("codificación", max_length=20, blank=True)
    fecha_corte = models.DateField("fecha de corte", null=True, blank=True)
    fecha_corte_origen = models.CharField(
        "la fecha de corte es", max_length=12, choices=OrigenCorte.choices, default=OrigenCorte.SIN_FECHA
    )
    filas_leidas = models.PositiveIntegerField("filas leídas", default=0)
    contribuyentes = models.PositiveIntegerField("contribuyentes guardados", default=0)
    suprimidos = models.PositiveIntegerField("suprimidos por el SAT", default=0)
    rechazadas = models.PositiveIntegerField("líneas rechazadas", default=0)
    rechazos = models.JSONField("líneas rechazadas (número y motivo)", default=list, blank=True)
    mensaje = models.TextField("motivo del rechazo o del fallo", blank=True)
    terminada_en = models.DateTimeField("terminada", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "carga de lista del SAT"
        verbose_name_plural = "cargas de listas del SAT"
        constraints = [
            models.UniqueConstraint(
                fields=["lista"], condition=Q(estado="vigente"), name="listas_sat_una_carga_vigente_por_lista"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lista} · {self.get_estado_display()} · {self.created_at:%d/%m/%Y %H:%M}"


class Coincidencia(models.Model):
    """A taxpayer on a list, as one load stored it: one per RFC and load (the same RFC on several rows of an
    art. 69 file, one per credit, is one hit). Rows SAT redacted are kept with ``suprimido`` and never matched."""

    carga = models.ForeignKey(CargaLista, on_delete=models.CASCADE, related_name="coincidencias")
    rfc = models.CharField("RFC", max_length=13)
    nombre = models.TextField("nombre o razón social")
    situacion = models.CharField("situación o supuesto", max_length=120)
    tipo_persona = models.CharField("tipo de persona", max_length=20, blank=True)
    fecha_publicacion = models.DateField("fecha de publicación", null=True, blank=True)
    # [[column, text], …] in the file's order of columns (a JSON object would lose it in PostgreSQL's jsonb)
    publicaciones = models.JSONField("publicaciones (columna y texto)", default=list, blank=True)
    oficio = models.TextField("oficio", blank=True)
    fecha_oficio = models.DateField("fecha del oficio", null=True, blank=True)
    suprimido = models.BooleanField("suprimido por el SAT", default=False)

    class Meta:
        verbose_name = "coincidencia en lista del SAT"
        verbose_name_plural = "coincidencias en listas del SAT"
        indexes = [models.Index(fields=["rfc", "carga"], name="listas_sat_rfc_carga")]
        constraints = [
            models.UniqueConstraint(
                fields=["carga", "rfc"], condition=Q(suprimido=False), name="listas_sat_un_rfc_por_carga"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rfc} · {self.situacion}"


class Verificacion(BaseModel):
    """One check of SAT's current file of a list: by the nightly task (even when the file did not change) or
    by an import. Only confirmed checks count for the «no verificado» rule."""

    lista = models.CharField("lista", max_length=40, blank=True, db_index=True)
    origen = models.CharField("archivo o URL", max_length=500)
    confirmada = models.BooleanField("confirmada", default=False)
    cambio = models.BooleanField("el archivo cambió", default=False)
    etag = models.CharField("ETag", max_length=200, blank=True)
    last_modified = models.CharField("Last-Modified", max_length=100, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    carga = models.ForeignKey(CargaLista, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    mensaje = models.TextField("mensaje", blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "verificación de lista del SAT"
        verbose_name_plural = "verificaciones de listas del SAT"

    def __str__(self) -> str:
        return f"{self.lista or self.origen} · {self.created_at:%d/%m/%Y %H:%M}"
