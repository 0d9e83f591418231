"""What the citizen pages (``portal``) and the staff pages (``backoffice``) share: form error summaries,
translated choice labels, file answers, the e-form's answers, the ``web_ui`` template tags and the
field templates. Both sit above it and never import each other (docs/architecture.md "Layers")."""
