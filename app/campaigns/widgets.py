"""A <select> whose options are rendered once per process.

The country list is the same 250 options for every visitor reading a
language, and rendering them one by one (attributes, escaping) was the
largest part of the campaign page. The options are kept by their exact
values, labels and selection, so a different language or a signer's own
choice shown back after an error gets its own rendering.
"""

import threading
from collections import OrderedDict

from markupsafe import Markup
from wtforms.widgets import Select, html_params


class RememberedSelect(Select):
    max_entries = 64

    def __init__(self):
        super().__init__(multiple=False)
        self._rendered: OrderedDict[tuple, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, field, **kwargs):
        key = self._key(field)
        if key is None:
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for name in dir(flags):
            if name in self.validation_attrs and name not in kwargs:
                kwargs[name] = getattr(flags, name)
        # html_params escapes every value, as WTForms' own Select relies on.
        opening = Markup(f"<select {html_params(name=field.name, **kwargs)}>")  # noqa: S704
        return opening + self._options(key, field)

    @staticmethod
    def _key(field) -> tuple | None:
        """The choices as (value, label) text and the selected value, or None
        for choices of another shape (those are rendered as usual)."""
        choices = field.choices
        if not isinstance(choices, list | tuple) or field.has_groups():
            return None
        if not all(isinstance(choice, tuple) and len(choice) == 2 for choice in choices):
            return None
        return tuple((value, str(label)) for value, label in choices), field.data

    def _options(self, key: tuple, field) -> Markup:
        with self._lock:
            options = self._rendered.get(key)
            if options is not None:
                self._rendered.move_to_end(key)
                return options
        # types-WTForms still has 3.2's render_option(value, label, selected); 3.3 takes a choice.
        rendered = "".join(
            self.render_option(choice)  # type: ignore[call-arg]
            for choice in field.iter_choices()
        )
        options = Markup(rendered + "</select>")  # noqa: S704 (each option escaped by WTForms)
        with self._lock:
            self._rendered[key] = options
            while len(self._rendered) > self.max_entries:
                self._rendered.popitem(last=False)
        return options
