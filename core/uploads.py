from __future__ import annotations

from io import BytesIO

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keeps every uploaded file in memory and never spills to a temporary file on disk.

    For secrets (the e.firma private key): Django's default handlers write uploads above
    FILE_UPLOAD_MAX_MEMORY_SIZE to /tmp. A file above ``limite`` bytes is dropped (the form then reports it
    as missing or too large) instead of being buffered.
    """

    def __init__(self, request=None, limite: int = 64 * 1024) -> None:
        super().__init__(request)
        self.limite = limite
        self.demasiado_grande: set[str] = set()

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.buffer = BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int):
        if start + len(raw_data) > self.limite:
            self.demasiado_grande.add(self.field_name)
            raise SkipFile
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer, self.field_name, self.file_name, self.content_type, file_size, self.charset,
            self.content_type_extra,
        )


__all__ = ["MemoryOnlyUploadHandler", "StopUpload"]
