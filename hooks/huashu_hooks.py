"""MkDocs hooks: wire huashu's stages to MkDocs events. No logic here."""

from __future__ import annotations

from mkdocs.plugins import event_priority

from huashu import site

_handbook = None


def on_startup(command, dirty):
    site.note_command(command)


def on_config(config):
    global _handbook
    _handbook = site.load_for_site(config)
    site.set_navigation(config, _handbook)
    return config


def on_files(files, config):
    return site.add_generated_pages(files, config, _handbook)


@event_priority(100)  # before any plugin reads the page's content
def on_page_content(html, page, config, files):
    return site.fill_slots_in_content(html, page.file.src_uri)


def on_post_page(output, page, config):
    return site.harden_page(site.fill_slots_in_page(output, page.file.src_uri), page.file.src_uri)


def on_post_template(output_content, template_name, config):
    return site.harden_page(output_content, template_name)


def on_post_build(config):
    site.write_search_index(config, _handbook)
