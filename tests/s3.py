"""A real S3-protocol server on loopback for the object-storage tests: moto's server mode (HTTP, signed
requests, real boto3 client and django-storages backend). Import the fixtures into a test module."""

from __future__ import annotations

import importlib
import os
import socket
import uuid
from collections.abc import Iterator

import boto3
import pytest
from botocore.config import Config

import icsoe.settings

LLAVE, SECRETO = "icsoe-pruebas", "secreto-de-pruebas-no-usar"


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def servidor_s3() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    puerto = puerto_libre()
    servidor = ThreadedMotoServer(ip_address="127.0.0.1", port=puerto, verbose=False)
    servidor.start()
    try:
        yield f"http://127.0.0.1:{puerto}"
    finally:
        servidor.stop()


def cliente(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=LLAVE,
        aws_secret_access_key=SECRETO,
        config=Config(connect_timeout=2, retries={"max_attempts": 1}),
    )


def _storages(settings, *, endpoint: str, bucket: str) -> dict:
    """The portal's own S3 configuration: icsoe/settings.py re-read with the environment a deployment sets."""
    variables = {
        "ICSOE_S3_BUCKET": bucket,
        "ICSOE_S3_ENDPOINT_URL": endpoint,
        "ICSOE_S3_ACCESS_KEY": LLAVE,
        "ICSOE_S3_SECRET_KEY": SECRETO,
        "ICSOE_S3_TIMEOUT": "2",
    }
    anteriores = {k: os.environ.get(k) for k in variables}
    os.environ.update(variables)
    try:
        default = importlib.reload(icsoe.settings).STORAGES["default"]
    finally:
        for k, v in anteriores.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        importlib.reload(icsoe.settings)
    assert default["BACKEND"] == "core.almacen.AlmacenS3"
    return {**settings.STORAGES, "default": default}


@pytest.fixture
def almacen_s3(settings, servidor_s3) -> Iterator[str]:
    """The portal storing uploads in a fresh private bucket of the loopback S3 server; yields the bucket."""
    bucket = f"icsoe-{uuid.uuid4().hex[:12]}"
    cliente(servidor_s3).create_bucket(Bucket=bucket)
    settings.STORAGES = _storages(settings, endpoint=servidor_s3, bucket=bucket)
    yield bucket


@pytest.fixture
def almacen_caido(settings) -> Iterator[str]:
    """The portal configured for an S3 server that is down (nothing listens on its port)."""
    settings.STORAGES = _storages(
        settings, endpoint=f"http://127.0.0.1:{puerto_libre()}", bucket="icsoe-caido"
    )
    yield "icsoe-caido"
