"""The task dicts of the hook phases and of the merge and commit, for ``tasks.Engine``.

``hook_tasks(phase)``: ``pre_build:<hook>``, ``pre_commit:<hook>``, ``post_build:<hook>`` from the
hooks' declarations (``plan``); ``merge_task``: the staged outputs through the stage hooks,
merged into the pending changeset; ``commit_task``: the changeset applied. The engine supplies
``layout``, ``meta``, ``options``, ``force``, ``provision``, ``current_facts`` and ``hook_decls``.
"""

from __future__ import annotations

from doit.tools import config_changed

from dazzle import __version__
from dazzle.engine import actions
from dazzle.engine.clean import clean_committed, clean_state
from dazzle.engine.paths import hook_key, task_name_of
from dazzle.util.files import read_json_shared, sha256


class PhaseTasks:
    def merge_task(self) -> dict | None:
        facts = self.current_facts()
        if facts.error:
            return None
        from dazzle.engine.index import generate_keys

        layout = self.layout
        keys = generate_keys(layout)
        # what the current generate tasks staged, as of the last build (outputs.json: one file)
        staged = read_json_shared(layout.outputs_index, {}) or {}
        outputs = sorted({rel for key in keys for rel in staged.get(task_name_of(key), ())})
        stage_sources = sorted({f for d in self.hook_decls("stage") for f in d["file_dep"]})
        return {
            "basename": "merge",
            "doc": "format the generated files and merge them with your edits: the pending commit",
            "actions": [(actions.merge, [self.meta, self.force, self.provision])],
            # plain strings: path objects cost too much over thousands of files
            "file_dep": [f"{layout.state_dir}/manifest/{key}.json" for key in keys] + stage_sources,
            # the output files: a deleted one makes the merge write it again
            "targets": [str(layout.changes_file)] + [f"{layout.output_dir}/{rel}" for rel in outputs],
            "task_dep": ["generate"],
            # --force looks at every output again, whatever changed
            # (config_changed first, so that a forced run records it too)
            "uptodate": [config_changed(f"{__version__}|{sha256('|'.join(keys).encode())}")]
            + [False] * self.force,
            "clean": [(clean_state, [[layout.pending_dir, layout.manifests_cache], layout.state_dir])],
            "verbosity": 1,
        }

    def commit_task(self) -> dict | None:
        if self.current_facts().error:
            return None
        return {
            "basename": "commit",
            "doc": "apply the pending changes to the output folder (one step a kill cannot leave half done)",
            "actions": [(actions.commit, [self.meta])],
            "file_dep": [str(self.layout.changes_file)],
            "task_dep": ["merge", "pre_commit"],
            "clean": [(clean_committed, [self.meta])],
            "verbosity": 1,
        }

    def hook_tasks(self, phase: str):
        facts = self.current_facts()
        if facts.error or not facts.hooks.get(phase):
            return
        for decl in self.hook_decls(phase):
            inputs = [f for f in decl["file_dep"] if f.startswith(f"{self.layout.output_dir}/")]
            task = {
                "name": decl["name"],
                "doc": decl["doc"],
                "actions": [(actions.hook, [self.meta, decl["name"], self.options, inputs])],
                "file_dep": decl["file_dep"],
                "targets": decl["targets"],
                "verbosity": 1,
                "clean": [
                    (
                        clean_state,
                        [[self.layout.artifact_file(hook_key(decl["name"]))], self.layout.state_dir],
                    )
                ],
            }
            if not decl["always"]:
                digest = decl.get("spec_digest") or ""
                options = f"provision={self.provision}|allow_data_loss={self.options['allow_data_loss']}"
                task["uptodate"] = [config_changed(f"{__version__}|{options}|{digest}")]
            if phase == "pre_commit":
                task["task_dep"] = ["merge"]
            elif phase == "post_build":
                task["task_dep"] = ["commit"]
            yield task
