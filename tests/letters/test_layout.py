from pathlib import Path

import app.letters


def test_letter_building_has_no_flask_imports_outside_its_command():
    folder = Path(app.letters.__file__).parent
    for module in folder.glob("*.py"):
        if module.name == "cli.py":
            continue
        source = module.read_text(encoding="utf-8")
        assert "import flask" not in source and "from flask" not in source, module.name
        assert "app.extensions" not in source, module.name
