"""The baseline: a Flask hello-world, served by the benchmark with the shop's uWSGI settings."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, world!"
