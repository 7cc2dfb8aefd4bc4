"""French validation messages for every marshmallow field and validator, set once per process.

Citizens and agents read these messages (ARCHITECTURE.md section 4: a French message per
field). Schemas may still give a more precise message of their own.
"""
from marshmallow import Schema, fields, validate

_FIELD_MESSAGES = {
    fields.Field: {"required": "Ce champ est obligatoire.", "null": "Ce champ ne peut pas être vide.",
                   "validator_failed": "Valeur invalide."},
    fields.Boolean: {"invalid": "Ce champ doit valoir vrai ou faux."},
    fields.Date: {"invalid": "Date invalide.", "format": "Date invalide."},
    fields.Email: {"invalid": "Adresse e-mail invalide."},
    fields.Enum: {"unknown": "Valeur non autorisée (valeurs possibles : {choices})."},
    fields.Integer: {"invalid": "Ce champ doit être un nombre entier."},
    fields.List: {"invalid": "Ce champ doit être une liste."},
    fields.Mapping: {"invalid": "Ce champ doit être un objet."},
    fields.Nested: {"type": "Ce champ doit être un objet."},
    fields.Number: {"invalid": "Ce champ doit être un nombre.", "too_large": "Nombre trop grand."},
    fields.Float: {"special": "Valeur numérique non autorisée."},
    fields.Decimal: {"special": "Valeur numérique non autorisée."},
    fields.String: {"invalid": "Ce champ doit être une chaîne de caractères.",
                    "invalid_utf8": "Texte mal encodé (UTF-8 attendu)."},
    fields.Url: {"invalid": "Adresse web invalide."},
    fields.UUID: {"invalid_uuid": "Identifiant invalide."},
    fields.DateTime: {"invalid": "Date et heure invalides.", "invalid_awareness": "Date et heure invalides (fuseau horaire attendu).",
                      "format": "Date et heure invalides."},
    fields.Time: {"invalid": "Heure invalide.", "format": "Heure invalide."},
    fields.TimeDelta: {"invalid": "Durée invalide.", "format": "Durée invalide."},
    fields.Tuple: {"invalid": "Ce champ doit être une liste."},
}

_VALIDATOR_MESSAGES = {
    validate.Length: {"message_min": "Doit contenir au moins {min} caractères.",
                      "message_max": "Doit contenir au plus {max} caractères.",
                      "message_all": "Doit contenir entre {min} et {max} caractères.",
                      "message_equal": "Doit contenir exactement {equal} caractères."},
    validate.Range: {"message_min": "Doit être {min_op} {{min}}.", "message_max": "Doit être {max_op} {{max}}.",
                     "message_all": "Doit être {min_op} {{min}} et {max_op} {{max}}.",
                     "message_gte": "supérieur ou égal à", "message_gt": "strictement supérieur à",
                     "message_lte": "inférieur ou égal à", "message_lt": "strictement inférieur à"},
    validate.OneOf: {"default_message": "Valeur non autorisée (valeurs possibles : {choices})."},
    validate.Regexp: {"default_message": "Format invalide."},
    validate.Email: {"default_message": "Adresse e-mail invalide."},
    validate.URL: {"default_message": "Adresse web invalide."},
    validate.Equal: {"default_message": "Doit valoir {other}."},
    validate.NoneOf: {"default_message": "Valeur non autorisée."},
    validate.ContainsOnly: {"default_message": "Valeurs non autorisées."},
}

_SCHEMA_MESSAGES = {"type": "Le corps de la requête doit être un objet JSON.", "unknown": "Champ inconnu."}


def install_french_messages() -> None:
    for field_cls, messages in _FIELD_MESSAGES.items():
        field_cls.default_error_messages = {**field_cls.__dict__.get("default_error_messages", {}), **messages}
    for validator_cls, messages in _VALIDATOR_MESSAGES.items():
        for attribute, message in messages.items():
            setattr(validator_cls, attribute, message)
    Schema._default_error_messages = {**Schema._default_error_messages, **_SCHEMA_MESSAGES}


install_french_messages()
