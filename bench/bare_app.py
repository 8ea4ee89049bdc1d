"""The baseline the signing benchmark compares with: a bare Flask endpoint that
does one psycopg INSERT per POST, served by the same gunicorn settings.

    gunicorn -c gunicorn.conf.py bench.bare_app:app   (BARE_DATABASE_URL=postgresql://...)
"""

import os
import threading

import psycopg
from flask import Flask, redirect, request

app = Flask(__name__)
_local = threading.local()
DSN = os.environ["BARE_DATABASE_URL"]


def connection():
    if getattr(_local, "connection", None) is None:
        _local.connection = psycopg.connect(DSN, autocommit=True)
    return _local.connection


@app.get("/ping")
def ping():
    return "ok"


@app.post("/c/<slug>/sign")
def sign(slug):
    connection().execute(
        "INSERT INTO bare_signatures (email, name) VALUES (%s, %s)",
        (request.form["email"], request.form["name"]),
    )
    return redirect(f"/c/{slug}/thanks", code=303)
