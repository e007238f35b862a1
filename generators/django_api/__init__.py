"""The ``django_api`` stack: a REST API (Django REST framework) with its OpenAPI document
(drf-spectacular), added to the project the ``django`` stack builds — ``<app>/api/``.

It reads the same spec slices and uses the Django stack's naming (``generators.django.naming``)
and its generated mechanisms (``access``, ``lists``), so that the API and the pages follow the
surfaces and the rules the same way. ``plan`` works out the API once for every generator here
and for the ``openapi`` stack.
"""
