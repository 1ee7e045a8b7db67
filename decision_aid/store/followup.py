"""After the consultation (issue 31): "How did your appointment go?", stored beside the answers
on the patient's row. Saving it counts as a change for the retention purge (`updated_at`), as
any answer does; it reaches the clinic only when the patient sends it (`send_followup`)."""

from datetime import UTC, datetime

from sqlalchemy import update

from decision_aid.store.references import hash_token
from decision_aid.store.schema import responses


class FollowUps:
    def save_followup(self, token, followup, moment=None):
        """Keep the follow-up answers; a follow-up sent before and changed since goes back to
        not sent (the clinic keeps nothing the patient did not send)."""
        moment = moment or datetime.now(UTC)
        where = responses.c.token_hash == hash_token(token)
        with self.engine.begin() as conn:
            result = conn.execute(
                update(responses)
                .where(where)
                .values(
                    followup=followup,
                    followup_at=moment,
                    followup_sent_at=None,
                    updated_at=moment,
                    version=responses.c.version + 1,
                )
            )
        return result.rowcount == 1

    def send_followup(self, token, moment=None):
        """Send the follow-up to the clinic, as the patient chose. Only a summary the clinic has
        (sent) takes it; returns whether it was sent."""
        moment = moment or datetime.now(UTC)
        where = (
            (responses.c.token_hash == hash_token(token))
            & responses.c.followup.is_not(None)
            & responses.c.sent_at.is_not(None)
        )
        with self.engine.begin() as conn:
            result = conn.execute(update(responses).where(where).values(followup_sent_at=moment))
        return result.rowcount == 1
