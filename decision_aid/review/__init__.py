"""Content a clinic can take responsibility for (issue 30): the reviewer's packet, recorded
sign-offs that lapse when the words change, and each language's review.

- `texts`: every text a reviewer checks, with its id and short hash; the safety-critical marks.
- `signoff`: the records in decision_aid/signoffs/, signing, and the status (`current`).
- `packet`: the reviewer's packet as a tagged PDF (`decision-aid review packet`).
- `status_lines`: the words the pages and the PDF show (decision_aid.guidance.engine).

docs/development.md says what each sign-off covers and how the review cycle runs."""
