"""The question types answered by choosing from options: one answer, several, a rating row per
item, and the list of questions for the appointment (common ones ticked, one's own typed)."""

from wtforms import StringField, TextAreaField

from decision_aid.fields.base import (
    NOT_CHOSEN,
    Invalid,
    InvalidRows,
    QuestionType,
    allowed_values,
    checkboxes,
    field_name,
    join_label,
    radio,
    typed_text,
)
from decision_aid.text.i18n import N_, _


class Single(QuestionType):
    """Radios. An option may reveal a follow-up question; the hidden `<question>__shown` field
    says which follow-up the page showed when it was sent (app.js keeps it up to date)."""

    name = "single"

    def fields(self):
        pairs = [(self.q.id, radio(self.q))]
        if self.q.revealed_ids:
            pairs.append((field_name(self.q.id, "shown"), StringField()))
        return pairs

    def parse(self, form, today):
        q, value = self.q, form[self.q.id].data
        if self.none_given([value not in NOT_CHOSEN], N_("Select one answer")):
            return None
        allowed = allowed_values(q)
        if value not in allowed:
            raise Invalid(q.error or _("Select one of the answers shown"))
        return allowed[value]

    def anchor(self, part=None):
        return f"{self.q.id}-0"

    def display(self, value):
        return [self.q.option_label(value)]


class Multiple(QuestionType):
    """Checkboxes, with an optional `exclusive` option ("None of these") that stands alone."""

    name = "multiple"

    def fields(self):
        return [(self.q.id, checkboxes(self.q))]

    def initial(self, value):
        return {self.q.id: [str(v) for v in value]}

    def parse(self, form, today):
        q, values = self.q, form[self.q.id].data or []
        allowed = allowed_values(q)
        if any(v not in allowed for v in values):
            raise Invalid(_("Select from the answers shown"))
        if q.exclusive:
            message = _("Select at least one answer, or select '{none}'")
        else:
            message = _("Select at least one answer")
        if self.none_given(values, message.format(none=q.option_label(q.exclusive))):
            return None
        if q.exclusive and q.exclusive in values and len(values) > 1:
            raise Invalid(
                _(
                    "Select '{none}' on its own, or untick it and keep the others you selected"
                ).format(none=q.option_label(q.exclusive))
            )
        order = [str(o.value) for o in q.options]
        return [allowed[v] for v in sorted(set(values), key=order.index)]

    def anchor(self, part=None):
        return f"{self.q.id}-0"

    def display(self, value):
        return [self._none_or_label(v) for v in value]

    def _none_or_label(self, value):
        """ "None of these" reads "None" out of context; other labels as they are."""
        label = self.q.option_label(value)
        if value == self.q.exclusive and label.lower().startswith("none"):
            return _("None")
        return label


class Rating(QuestionType):
    """One row of radios per item, stored as {item: value}. Each row missing an answer gets
    its own message and link."""

    name = "rating"

    def fields(self):
        return [(field_name(self.q.id, item.id), radio(self.q)) for item in self.q.items]

    def initial(self, value):
        return {field_name(self.q.id, item_id): str(v) for item_id, v in value.items()}

    def parse(self, form, today):
        q = self.q
        allowed = allowed_values(q)
        answered, unanswered = {}, []
        for item in q.items:
            value = form[field_name(q.id, item.id)].data
            if value in NOT_CHOSEN:
                unanswered.append(item)
            elif value not in allowed:
                raise Invalid(_("Select one of the answers shown"), item.id)
            else:
                answered[item.id] = allowed[value]
        if q.required and unanswered:
            raise InvalidRows(
                [
                    (
                        item.error or _("Select an answer for '{row}'").format(row=item.label),
                        item.id,
                    )
                    for item in unanswered
                ]
            )
        return answered or None

    def anchor(self, part=None):
        return f"{field_name(self.q.id, part or self.q.items[0].id)}-0"

    def display(self, value):
        q = self.q
        return [
            join_label(item.label, q.option_label(value[item.id]))
            for item in q.items
            if item.id in value
        ]


class QuestionList(QuestionType):
    """The patient's questions for the appointment: common ones ticked (`__common`) and their
    own typed one to a line (`__own`), stored as one list."""

    name = "question_list"

    def fields(self):
        return [
            (field_name(self.q.id, "common"), checkboxes(self.q)),
            (field_name(self.q.id, "own"), TextAreaField()),
        ]

    def initial(self, value):
        common = {str(o.value) for o in self.q.options}
        return {
            field_name(self.q.id, "common"): [v for v in value if v in common],
            field_name(self.q.id, "own"): "\n".join(v for v in value if v not in common),
        }

    def parse(self, form, today):
        q = self.q
        allowed = [str(o.value) for o in q.options]
        common = form[field_name(q.id, "common")].data or []
        if any(v not in allowed for v in common):
            raise Invalid(_("Select from the questions shown"), "common")
        own_text = typed_text(form, field_name(q.id, "own"), "own")
        own = [line.strip() for line in own_text.splitlines() if line.strip()]
        for number, line in enumerate(own, start=1):
            if q.max_length and len(line) > q.max_length:
                raise Invalid(
                    _(
                        "Question {number} has {count} characters. "
                        "Make it {limit} characters or fewer"
                    ).format(number=number, count=len(line), limit=q.max_length),
                    "own",
                )
        questions = [v for v in allowed if v in common] + own
        if q.max_items and len(questions) > q.max_items:
            extra = len(questions) - q.max_items
            raise Invalid(
                _("You can list up to {limit} questions. You have {count}. Remove {extra}").format(
                    limit=q.max_items, count=len(questions), extra=extra
                ),
                "own",
            )
        return questions or None

    def anchor(self, part=None):
        name = field_name(self.q.id, part or "own")
        return f"{name}-0" if part == "common" else name

    def display(self, value):
        # A common question's value is its English text: shown in the page's language.
        return [self.q.option_label(v) for v in value]
