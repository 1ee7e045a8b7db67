"""The bare-Flask baseline of `make load`: the smallest Flask app that serves the same kind of
exchange as a step (a page with a form, then a POST that redirects), with no database, no forms
library and no templates. The load run serves it with the same gunicorn settings and drives it
with the same client, so the ratio of the two step latencies is the cost of the app itself."""

from flask import Flask, redirect, request

app = Flask(__name__)

PAGE = (
    '<!doctype html><title>Step</title><form method="post">'
    '<input type="hidden" name="csrf_token" value="bare-token">'
    '<input name="answer"><button>Continue</button></form>'
)


@app.get("/")
def start_page():
    return PAGE


@app.post("/start")
def start():
    return redirect("/step/1")


@app.route("/step/<int:number>", methods=["GET", "POST"])
def step(number):
    if request.method == "POST":
        return redirect(f"/step/{number + 1}" if number < 17 else "/check")
    return PAGE


@app.route("/check", methods=["GET", "POST"])
def check():
    return redirect("/summary") if request.method == "POST" else PAGE


@app.get("/summary")
def summary():
    return "<!doctype html><title>Summary</title><p>Reference ABCD-EFGH</p>"
