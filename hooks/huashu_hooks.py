"""MkDocs hooks: wire huashu's stages to MkDocs events. No logic here (see huashu/site.py)."""

from __future__ import annotations

from mkdocs.plugins import event_priority

from huashu import site

_session = site.Session()


def on_startup(command, dirty):
    _session.start(command, dirty)


def on_config(config):
    return _session.configure(config)


def on_files(files, config):
    return _session.current().add_generated_pages(files)


@event_priority(100)  # before any plugin reads the page's content
def on_page_content(html, page, config, files):
    return _session.current().fill_slots_in_content(html, page.file.src_uri)


# The policy goes on the page's shell, then the entries or cards fill it: the policy does not
# depend on them, and a print run's cards would otherwise be copied while it is added.
def on_post_page(output, page, config):
    return _session.current().fill_slots_in_page(_session.harden_page(output, page), page.file.src_uri)


def on_post_template(output_content, template_name, config):
    return _session.harden_template(output_content, template_name)


def on_post_build(config):
    _session.finish()


def on_build_error(error):
    _session.abandon(error)
