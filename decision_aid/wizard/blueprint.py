"""The patient's path blueprint. The page modules (steps, check, summary, saved, sources) add
their routes to it; decision_aid.wizard imports them, so that they are all registered."""

from flask import Blueprint

bp = Blueprint("wizard", __name__.rpartition(".")[0])
