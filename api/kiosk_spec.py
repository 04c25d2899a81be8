"""The kiosk submit endpoint (POST /kiosk/api/ratings) described for the OpenAPI document: its
request body and per-item answers as marshmallow schemas and its operation as an apispec YAML
docstring. kiosk/api.py validates with its own rules (kinerja.feedback.ratings); these schemas
only describe them and are checked against the real endpoint by tests/test_api_schemathesis.py."""
from apispec import yaml_utils
from flask import current_app
from marshmallow import Schema, fields, validate

from kinerja.feedback import ikm, ratings
from kinerja.feedback.models import RatingFlag

SCORE = validate.Range(1, 4)


Elements = Schema.from_dict(
    {element: fields.Integer(validate=SCORE, metadata={"description": f"{element} {name}"})
     for element, name in ikm.ELEMENT_NAMES.items()}, name="RatingElements")


class Respondent(Schema):
    """The respondent's answers to the optional demographic questions."""
    age_group = fields.String(allow_none=True, validate=validate.OneOf(ratings.AGE_GROUPS))
    sex = fields.String(allow_none=True, validate=validate.OneOf(ratings.SEXES))
    education = fields.String(allow_none=True, validate=validate.OneOf(ratings.EDUCATION))
    occupation = fields.String(allow_none=True, validate=validate.OneOf(ratings.OCCUPATIONS))


class RatingItem(Schema):
    """One rating as the kiosk queued it."""
    client_id = fields.UUID(required=True, metadata={
        "description": "Made by the kiosk; sending the same one again is answered `duplicate`"})
    taken_at = fields.AwareDateTime(required=True, metadata={
        "description": "When the citizen tapped, with an offset; at most 5 minutes ahead of the "
                       "server and 60 days old"})
    score = fields.Integer(required=True, validate=SCORE, metadata={
        "description": "The one-tap face: 1 tidak baik ... 4 sangat baik"})
    elements = fields.Nested(Elements, allow_none=True, metadata={
        "description": "SKM elements answered (U1-U9, each 1-4); all nine make a full survey"})
    respondent = fields.Nested(Respondent, allow_none=True)
    staff_nip = fields.String(allow_none=True, validate=validate.Regexp(r"^[0-9]{18}$"), metadata={
        "description": "NIP of the officer who served, if the citizen chose one (staff of the unit)"})
    service = fields.String(allow_none=True, validate=validate.Length(1, ratings.MAX_SERVICE_CODE),
                            metadata={"description": "Code of the service the citizen received, "
                                                     "one of the counter's (config `services`); "
                                                     "absent or not offered there: stored naming "
                                                     "no service"})
    comment = fields.String(allow_none=True, validate=validate.Length(max=ratings.MAX_COMMENT),
                            metadata={"description": "A complaint or suggestion: opens a complaint"})
    contact = fields.String(allow_none=True, validate=validate.Length(max=ratings.MAX_CONTACT),
                            metadata={"description": "Given only with the citizen's consent to be "
                                                     "contacted"})


class RatingBatch(Schema):
    ratings = fields.List(fields.Nested(RatingItem), required=True, validate=validate.Length(min=1, max=200),
                          metadata={"description": "At most KIOSK_MAX_BATCH (200) items; more is a 413"})
    version = fields.String(metadata={"description": "The kiosk app's version, shown to admins"})
    queued = fields.Integer(validate=validate.Range(0, 2**31 - 1), metadata={
        "description": "How many ratings the kiosk still holds in its queue, shown to admins"})


class RatingResult(Schema):
    client_id = fields.String(allow_none=True, required=True, metadata={
        "description": "The item's client_id (null when the item had none that is text)"})
    status = fields.String(required=True, validate=validate.OneOf(["accepted", "duplicate", "rejected"]),
                           metadata={"description": "accepted and duplicate are stored: drop them "
                                                    "from the queue; rejected will never be stored"})
    reason = fields.String(metadata={"description": "Why it was rejected"})
    flag = fields.String(validate=validate.OneOf([flag.value for flag in RatingFlag]),
                         metadata={"description": "Accepted but marked suspicious for HR to review"})


class RatingResults(Schema):
    results = fields.List(fields.Nested(RatingResult), required=True,
                          metadata={"description": "One per item, in the order sent"})


def _submit():
    """Send queued ratings.
    ---
    post:
      operationId: submitRatings
      tags: [Kiosk]
      summary: Send a batch of ratings from a paired kiosk
      description: |
        Authenticated by the kiosk's device token (from pairing), not by an API token. The
        batch is one transaction and is answered item by item: one bad item is `rejected`
        with a reason and never sinks the others. Exactly once per (kiosk, client_id).
      security:
        - kioskAuth: []
      requestBody:
        required: true
        content:
          application/json:
            schema: RatingBatch
            example:
              ratings:
                - client_id: 3f1c0d6e-2a4b-4c8e-9a51-0b7f7c2d9e10
                  taken_at: "2026-03-02T09:15:00+08:00"
                  score: 4
                  elements: {U1: 4, U2: 3, U3: 3, U4: 4, U5: 3, U6: 4, U7: 4, U8: 3, U9: 3}
                  respondent: {age_group: 30-39, sex: P, education: SMA, occupation: SWASTA}
                - client_id: 9b2e4f71-5c3d-4e8a-b6f0-1d2c3e4f5a6b
                  taken_at: "2026-03-02T09:21:30+08:00"
                  score: 2
                  comment: Antrean terlalu lama, nomor antrean tidak dipanggil berurutan.
              version: "2026.03.1"
              queued: 0
      responses:
        200:
          description: One result per item
          content:
            application/json:
              schema: RatingResults
        400: BadRequest
        401: Unauthorized
        413: PayloadTooLarge
        429: TooManyRequests
    """


def register(spec) -> None:
    """Add the kiosk's submit endpoint to `spec`, found by its view in the URL map."""
    view = current_app.view_functions["kiosk.api_ratings"]
    spec.path(view=view, operations=yaml_utils.load_operations_from_docstring(_submit.__doc__))
