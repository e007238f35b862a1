"""The ``openapi`` stack: ``openapi.json``, the OpenAPI 3.1 document of the REST API that the
``django_api`` stack serves, written straight from the spec — without Django, and alone or
beside the ``django`` and ``django_api`` stacks.

What the API holds comes from ``generators.django_api.plan`` (the one place that works it out);
``columns`` says what each model field is to the schema, ``schemas`` turns that into JSON Schema
as drf-spectacular does, ``operations`` and ``components`` write the paths and the components,
and ``document`` (the one generator, ``openapi.document``) slices the spec (``slices``) and
assembles the file.
"""
