"""Lists and related records (REFERENCE §Lists): the ``lists`` generator (FilterSets, lookups),
sorting paths, related lists and prefilled references as views and templates wire them, and
the plan of the generated list tests."""

from __future__ import annotations

from dazzle.testing import spec_from_sources
from generators.django import naming, sorting, test_values, wiring
from generators.django.lists import ListsGenerator
from generators.django.templates import TemplatesGenerator
from generators.django.test_lists import lists_plan
from generators.django.views import ViewsGenerator

SPEC = """module shop
app shop "Shop"

entity Client "Client":
  code: int
  name: str(80) required
  email: email

entity Order "Order":
  id: uuid pk
  number: str(20) required unique
  state: enum[draft,paid,sent]=draft
  rush: bool
  due: date
  placed: datetime auto_add
  client: ref Client required
  clerk: user
  backup: ref Client

entity Note "Note":
  order: ref Order required
  body: text required

surface client_view "Client":
  uses entity Client
  mode: view
  section main:
    field name

surface order_list "Orders":
  uses entity Order
  mode: list
  sort: -placed, number
  filter: state, rush, due, placed, client, clerk
  section main:
    field number
    field client
    field clerk
    field state

surface order_view "Order":
  uses entity Order
  mode: view
  section main:
    field number
    field client

surface order_new "New order":
  uses entity Order
  mode: create
  section main:
    field number

surface note_list "Notes":
  uses entity Note
  mode: list
  section main:
    field body
    field order

surface note_new "Add a note":
  uses entity Note
  mode: create
  section main:
    field body
"""


def shop():
    return spec_from_sources({"dsl/shop.dsl": SPEC})


def generated(gen, spec, path):
    sliced = gen.slice(spec)
    parts = sliced.values() if isinstance(sliced, dict) else [sliced]
    files = {f.path: f.content for part in parts for f in gen.generate(part, {}).files}
    compile(files[path], path, "exec") if path.endswith(".py") else None
    return files[path]


def test_a_filterset_per_list_with_filters_one_filter_per_type():
    source = generated(ListsGenerator(), shop(), "shop/lists.py")
    body = source[source.index("class OrderFilters(") :]
    assert 'state = django_filters.ChoiceFilter(choices=models.OrderState.choices, empty_label="Any")' in body
    assert "rush = django_filters.BooleanFilter(widget=forms.Select(choices=ANY_YES_NO))" in body
    assert "due = django_filters.DateFromToRangeFilter(widget=django_filters.widgets.DateRangeWidget(" in body
    assert "placed = django_filters.DateFromToRangeFilter(" in body
    # References offer what the person may read, through the search-as-you-type widget.
    assert (
        "client = django_filters.ModelChoiceFilter(queryset=readable_by_request(models.Client), widget=LookupSelect"
        in body
    )
    assert "clerk = django_filters.ModelChoiceFilter(queryset=readable_by_request(get_user_model())" in body
    assert "fields = ['state', 'rush', 'due', 'placed', 'client', 'clerk']" in body or (
        'fields = ["state", "rush", "due", "placed", "client", "clerk"]' in body
    )
    assert "class NoteFilters(" not in source  # no `filter:` line, no FilterSet


def test_lookups_cover_every_referenced_entity_and_search_its_short_texts():
    source = generated(ListsGenerator(), shop(), "shop/lists.py")
    assert '"Client": (models.Client, ("name", "email")),' in source
    assert '"Order": (models.Order, ("number",)),' in source
    assert '"Note":' not in source  # nothing refers to notes


def test_a_label_edit_leaves_the_lists_slice_alone():
    spec = shop()
    edited = spec_from_sources(
        {"dsl/shop.dsl": SPEC.replace('surface order_list "Orders"', 'surface order_list "All orders"')}
    )
    assert ListsGenerator().slice(spec) == ListsGenerator().slice(edited)


def test_sorting_follows_the_field_that_names_a_reference_and_keeps_the_key_last():
    spec = shop()
    order = spec.entity("Order")
    listing = spec.surface_for("Order", "list")
    assert sorting.sortable_columns(spec, order, listing) == {
        "number": "number",
        "client": "client__name",  # the client's name, not its key
        "clerk": "clerk__username",
        "state": "state",
    }
    assert sorting.default_order(spec, order, listing) == ("-placed", "number", "pk")
    assert sorting.default_order(spec, spec.entity("Note"), spec.surface_for("Note", "list")) == ()


def test_related_lists_come_from_refs_of_entities_with_list_surfaces():
    spec = shop()
    # Order's list and Client's view page: one list per ref to Client (client and backup).
    assert [(r.child, r.field) for r in wiring.related_lists(spec, "Client")] == [
        ("Order", "client"),
        ("Order", "backup"),
    ]
    assert [(r.child, r.field) for r in wiring.related_lists(spec, "Order")] == [("Note", "order")]
    assert wiring.related_lists(spec, "Note") == ()  # no view surface
    assert wiring.prefill_fields(spec, "Note") == ("order",)


def test_views_wire_sorting_filters_related_lists_and_prefill():
    source = generated(ViewsGenerator(), shop(), "shop/views.py")
    listing = source[source.index("class OrderListView(") : source.index("class OrderCreateView(")]
    assert "sort_columns = {" in listing and '"client": "client__name"' in listing
    assert 'default_sort = ("-placed", "number", "pk")' in listing
    assert "filterset_class = lists.OrderFilters" in listing
    assert 'related_fields = ("client", "clerk")' in listing
    detail = source[source.index("class OrderDetailView(") :]
    assert "lists.RelatedLists" in detail
    assert 'lists.Related("note__order", models.Note, "order", (), ())' in detail
    assert 'queryset = models.Order._default_manager.select_related("client")' in detail
    note_new = source[source.index("class NoteCreateView(") :]
    assert "lists.Prefill" in note_new and 'prefill_fields = ("order",)' in note_new
    # Back to the page the "new" link was on, else the notes' list.
    assert 'return self.return_url() or reverse("note-list")' in note_new


def test_view_page_shows_related_records_with_a_prefilled_new_link():
    page = generated(TemplatesGenerator(), shop(), "shop/templates/shop/order_detail.html")
    assert "{% with found=related.note__order %}" in page
    assert "<h2>Notes <span" in page
    assert "{% if can.Note.create %}" in page
    assert (
        '?order={{ object.pk|urlencode }}&amp;next={{ request.get_full_path|urlencode }}">Add a note</a>'
        in page
    )
    # The reference back to the order is not a column of its own list there.
    section = page[page.index("related.note__order") :]
    assert "row.order" not in section and "row.body" in section
    client = generated(TemplatesGenerator(), shop(), "shop/templates/shop/client_detail.html")
    # Orders can be filtered by client: "Show all" opens the filtered list.
    assert "{% url 'order-list' %}?client={{ object.pk|urlencode }}" in client


def test_list_page_headers_sort_and_filters_sit_with_the_search():
    page = generated(TemplatesGenerator(), shop(), "shop/templates/shop/order_list.html")
    assert '{% with order=sorting.client %}<th scope="col" aria-sort="{{ order.state }}">' in page
    assert "{% querystring sort=order.next page=None %}" in page
    assert "{% for field in filters.form %}" in page
    assert '<input type="hidden" name="sort" value="{{ sort }}">' in page


def test_the_list_tests_plan_covers_sorts_filters_related_and_query_counts():
    spec = shop()
    names = naming.app_names(spec)
    plan = lists_plan(spec, test_values.TestPlanner({e.name: e for e in spec.entities}, names.entities))
    assert [f.attr for f in plan.filters] == ["state", "rush", "due", "placed", "client", "clerk"]
    placed = next(f for f in plan.filters if f.attr == "placed")
    assert placed.query == '{"placed_after": "2020-06-01"}'
    [sort] = [s for s in plan.sorts if s.model == "Order"]
    assert sort.columns == ("number", "client", "clerk", "state") and sort.default == (
        "-placed",
        "number",
        "pk",
    )
    assert sort.compared == ("number",)
    assert [r.key for r in plan.related] == ["order__client", "order__backup", "note__order"]
    note = next(r for r in plan.related if r.key == "note__order")
    # The create surface leaves the order out; the form still gets it (a required field), filled in.
    assert note.create_url == "note-create" and note.in_form
    tests = [q.test for q in plan.queries]
    assert "test_order_list" in tests and "test_order_admin_changelist" in tests
    assert "test_order_detail_with_note__order" in tests
    # Rows made for the list fill every reference it shows, so a query per row would show.
    order_list = next(q for q in plan.queries if q.test == "test_order_list")
    assert "client=make_client()" in order_list.make and "clerk=new_user()" in order_list.make


def test_entities_with_too_few_made_values_get_no_query_counts():
    spec = spec_from_sources(
        {
            "dsl/t.dsl": "module t\napp t\nentity Tag:\n  code: str(1) pk\n  name: str(9) required\n"
            "entity Pin:\n  code: str(5) unique\n  on: bool unique\n"
            "entity Ok:\n  code: str(5) unique\n"
            + "".join(
                f"surface {e.lower()}_list:\n  uses entity {e}\n  mode: list\n  section main:\n    field code\n"
                for e in ("Tag", "Pin", "Ok")
            )
        }
    )
    names = naming.app_names(spec)
    plan = lists_plan(spec, test_values.TestPlanner({e.name: e for e in spec.entities}, names.entities))
    # str(1) keys run out after 10 rows, a unique bool after 2; a str(5) has room for 50.
    assert {q.test for q in plan.queries} == {"test_ok_list", "test_ok_admin_changelist"}
