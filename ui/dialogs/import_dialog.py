"""Import dialog: dataset → column mapping (live preview, detected encoding) → validation with the
quarantine list → encoders per modality → the embedding job (run by the main window)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from engine.errors import AlignScopeError
from ui.dialogs import import_guesses as guesses
from ui.worker import Job

PREVIEW_ROWS = 8


def encoder_rows() -> list[dict[str, Any]]:
    """Bundled and user-registered encoders with size and whether the file is present."""
    try:
        from engine.encoders import list_models
    except ImportError:
        return []
    rows = []
    for spec in list_models():
        rows.append({"id": spec.id, "modality": spec.modality, "dim": spec.dim, "params": spec.params,
                     "user": bool(getattr(spec, "user", False)), "rung": getattr(spec, "rung", 0),
                     "present": Path(spec.path).is_file(),
                     "languages": list(getattr(spec, "languages", ()))})
    return rows


class ImportDialog(QDialog):
    import_started = Signal(object, object)  # (Job, store Path)

    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New project from a dataset"))
        self.resize(900, 680)
        self.dataset: Any = None
        self.table: Any = None
        self._job: Job | None = None
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("Dataset folder or manifest (CSV, TSV, JSON Lines, Excel)"))
        browse = QPushButton(self.tr("Folder…"))
        browse.clicked.connect(self._browse_folder)
        browse_file = QPushButton(self.tr("Manifest…"))
        browse_file.clicked.connect(self._browse_file)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        row.addWidget(browse_file)
        lay.addLayout(row)
        self.encoding = QLabel()
        self.encoding.setTextFormat(Qt.TextFormat.PlainText)  # may quote a header cell
        self.encoding.setWordWrap(True)
        enc_row = QHBoxLayout()
        enc_row.addWidget(self.encoding, 1)
        enc_row.addWidget(QLabel(self.tr("Encoding")))
        self.encoding_combo = QComboBox()  # detected, or the one the user says the file is in
        for text, codec in guesses.ENCODING_ITEMS:
            self.encoding_combo.addItem(text or self.tr("detect"), codec)
        self.encoding_combo.setToolTip(self.tr("How the manifest and the report files are read. "
                                               "“detect” tells UTF-8, UTF-16/32, CP932 and Windows-1252 apart."))
        self.encoding_combo.currentIndexChanged.connect(self._encoding_changed)
        enc_row.addWidget(self.encoding_combo)
        lay.addLayout(enc_row)
        self.allow_outside = QCheckBox(self.tr("Also read files outside the dataset folder "
                                               "(paths and links that lead elsewhere)"))
        self.allow_outside.setToolTip(self.tr("Off: a row naming a file outside the dataset folder, "
                                              "or a link to one, is quarantined."))
        self.allow_outside.toggled.connect(lambda _on: self._mapping_changed())
        lay.addWidget(self.allow_outside)
        self.mapping_box = QGroupBox(self.tr("Columns"))
        self.mapping_form = QFormLayout(self.mapping_box)
        self.role_combos: dict[str, Any] = {}
        self.role_how: dict[str, QLabel] = {}   # how each role's column was found
        self.detected: dict[str, str] = {}      # {role: column} as detected
        self.detected_how: dict[str, str] = {}
        self._column_problem = ""               # why the columns could not be detected
        lay.addWidget(self.mapping_box)
        self.guesses = QLabel()  # the id rule, the label and the other candidates, what changes them
        self.guesses.setObjectName("ImportGuesses")
        self.guesses.setWordWrap(True)
        self.guesses.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.guesses)
        self.preview_model = QStandardItemModel(self)
        self.preview = QTableView()
        self.preview.setModel(self.preview_model)
        self.preview.verticalHeader().hide()
        self.preview.setMaximumHeight(190)
        lay.addWidget(QLabel(self.tr("First rows")))
        lay.addWidget(self.preview)
        self.validate_button = QPushButton(self.tr("Check the dataset"))
        self.validate_button.clicked.connect(self.validate)
        lay.addWidget(self.validate_button, alignment=Qt.AlignmentFlag.AlignLeft)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.result_label)
        self.quarantine_model = QStandardItemModel(0, 3, self)
        self.quarantine = QTableView()
        self.quarantine.setModel(self.quarantine_model)
        self.quarantine.verticalHeader().hide()
        self.quarantine.horizontalHeader().setStretchLastSection(True)
        self.quarantine.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.quarantine, 1)
        enc_box = QGroupBox(self.tr("Encoders"))
        enc_lay = QHBoxLayout(enc_box)
        self.image_models = QListWidget()
        self.text_models = QListWidget()
        enc_lay.addWidget(self.image_models)
        enc_lay.addWidget(self.text_models)
        self._fill_encoders()
        lay.addWidget(enc_box)
        # the reports' language, checked after validation against the chosen text encoders
        self.script_mix: Any = None
        self._suggested: str | None = None
        lang_row = QHBoxLayout()
        self.language_label = QLabel()
        self.language_label.setWordWrap(True)
        self.language_label.setTextFormat(Qt.TextFormat.PlainText)
        self.language_label.setObjectName("languageWarning")
        self.use_multilingual = QPushButton()
        self.use_multilingual.clicked.connect(self._choose_suggested)
        self.use_multilingual.hide()
        lang_row.addWidget(self.language_label, 1)
        lang_row.addWidget(self.use_multilingual)
        lay.addLayout(lang_row)
        self.text_models.itemChanged.connect(lambda _item: self._update_language_warning())
        store_row = QHBoxLayout()
        store_row.addWidget(QLabel(self.tr("Project file")))
        self.store_edit = QLineEdit()
        store_row.addWidget(self.store_edit, 1)
        lay.addLayout(store_row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.embed_button = self.buttons.addButton(self.tr("Create and embed"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.embed_button.setEnabled(False)
        self.buttons.accepted.connect(self.start_embedding)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.path_edit.editingFinished.connect(lambda: self.load_preview(Path(self.path_edit.text())))
        if path is not None:
            self.path_edit.setText(str(path))
            self.load_preview(path)

    # -- encoders -------------------------------------------------------------------------
    def _fill_encoders(self) -> None:
        rows = encoder_rows()
        for w, modality in ((self.image_models, "image"), (self.text_models, "text")):
            w.clear()
            head = QListWidgetItem(self.tr("Image encoders") if modality == "image" else self.tr("Text encoders"))
            head.setFlags(Qt.ItemFlag.NoItemFlags)
            w.addItem(head)
            for r in [r for r in rows if r["modality"] == modality]:
                size = f"{r['params'] / 1e6:.1f} M" if r["params"] else "?"
                tag = self.tr(" (yours)") if r["user"] else ""
                missing = "" if r["present"] else self.tr(" — not exported")
                item = QListWidgetItem(f"{r['id']}{tag} · {r['dim']}-d · {size}{missing}")
                item.setData(Qt.ItemDataRole.UserRole, r["id"])
                item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | (Qt.ItemFlag.ItemIsEnabled if r["present"] else Qt.ItemFlag.NoItemFlags))
                item.setCheckState(Qt.CheckState.Checked if r["rung"] == 0 and r["present"] else Qt.CheckState.Unchecked)
                w.addItem(item)

    # -- language check ---------------------------------------------------------------------
    def _update_language_warning(self) -> None:
        """Warn when the reports need a multilingual encoder and an English-only one is chosen."""
        from engine.dataset.language import language_check

        self._suggested = None
        if self.script_mix is None:
            self.language_label.clear()
            self.use_multilingual.hide()
            return
        mix = self.script_mix
        check = language_check(mix, self.chosen_models("text"))
        if not check.warn:
            self.language_label.setText(self._mix_text(mix))
            self.use_multilingual.hide()
            return
        share = mix.reports.get(mix.dominant, 0) / max(1, mix.n_reports)
        script = self.tr("Japanese") if mix.dominant == "ja" else self.tr("a non-Latin script")
        text = self.tr("Warning: {0:.0%} of the reports are written in {1}, but {2} read(s) English only: "
                       "their text embeddings would be near-meaningless.").format(
            share, script, ", ".join(check.english_only))
        self._suggested = check.suggested_model
        if check.suggested_model:
            text += " " + self.tr("Use the multilingual encoder {0}.").format(check.suggested_model)
            self.use_multilingual.setText(self.tr("Use {0}").format(check.suggested_model))
            self.use_multilingual.show()
        else:
            self.use_multilingual.hide()
        self.language_label.setText(text)

    def _mix_text(self, mix: Any) -> str:
        return self.tr("Reports: kana+kanji {0:.0%}, Latin {1:.0%}, other {2:.0%} of the letters.").format(
            mix.kana_kanji, mix.latin, mix.other)

    def _choose_suggested(self) -> None:
        """Check the proposed multilingual encoder and uncheck the English-only ones."""
        from engine.dataset.language import language_check

        suggested = self._suggested
        if not suggested or self.script_mix is None:
            return
        english_only = set(language_check(self.script_mix, self.chosen_models("text")).english_only)
        blocked = self.text_models.blockSignals(True)  # one update at the end, not one per item
        try:
            for i in range(self.text_models.count()):
                item = self.text_models.item(i)
                model_id = item.data(Qt.ItemDataRole.UserRole)
                if model_id == suggested:
                    item.setCheckState(Qt.CheckState.Checked)
                elif model_id in english_only:
                    item.setCheckState(Qt.CheckState.Unchecked)
        finally:
            self.text_models.blockSignals(blocked)
        self._update_language_warning()

    def chosen_models(self, modality: str) -> list[str]:
        w = self.image_models if modality == "image" else self.text_models
        out = []
        for i in range(w.count()):
            item = w.item(i)
            if item.checkState() == Qt.CheckState.Checked and item.data(Qt.ItemDataRole.UserRole):
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    # -- preview --------------------------------------------------------------------------
    def _browse_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Dataset folder"))
        if path:
            self.path_edit.setText(path)
            self.load_preview(Path(path))

    def _browse_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Manifest"), "",
                                              self.tr("Manifests (*.csv *.tsv *.txt *.jsonl *.ndjson *.xlsx)"))
        if path:
            self.path_edit.setText(path)
            self.load_preview(Path(path))

    def manifest_path(self) -> Path | None:
        from engine.dataset import find_manifest

        p = Path(self.path_edit.text())
        return find_manifest(p) if p.is_dir() else (p if p.is_file() else None)

    def _encoding_changed(self, _index: int) -> None:
        if self.path_edit.text().strip():
            self.load_preview(Path(self.path_edit.text()))

    def chosen_encoding(self) -> str | None:
        """The encoding chosen in the dialog; None: detect it."""
        data = self.encoding_combo.currentData()
        return str(data) if data else None

    def load_preview(self, path: Path) -> None:
        from engine.dataset import read_manifest

        self.dataset = None
        self.script_mix = None
        self._update_language_warning()
        self.embed_button.setEnabled(False)
        self.store_edit.setText(str((path if path.is_dir() else path.parent).with_suffix(".h5")))
        while self.mapping_form.rowCount():
            self.mapping_form.removeRow(0)
        self.role_combos, self.role_how, self.detected, self.detected_how = {}, {}, {}, {}
        self._column_problem = ""
        self.preview_model.clear()
        self.guesses.clear()
        manifest = self.manifest_path()
        if manifest is None:
            self.table = None
            if path.is_dir():
                self.encoding.setText(self.tr("No manifest: images with sidecar .txt reports, labels from sub-folders."))
                self.guesses.setText(guesses.folder_text(None, None))
            else:
                self.encoding.setText(self.tr("Not found: {0}").format(path))
            return
        try:
            self.table = read_manifest(manifest, self.chosen_encoding())
        except AlignScopeError as exc:
            self.table = None
            self.encoding.setText(str(exc))
            return
        self._show_table(manifest)

    def _show_table(self, manifest: Path) -> None:
        from engine.dataset.columns import ROLES, detect_columns
        from engine.dataset.encoding import describe_encoding

        t = self.table
        how = self.tr("as chosen") if self.chosen_encoding() else self.tr("detected")
        self.encoding.setText(self.tr("{0}: {1} rows, encoding {2} ({3})").format(
            manifest.name, len(t.records), describe_encoding(t.encoding), how))
        values = {h: [r.values[i] for r in t.records] for i, h in enumerate(t.header)}
        try:
            found = detect_columns(t.header, {}, str(manifest), values)
            self.detected, self.detected_how = found.mapping, {g.role: g.how for g in found.guesses}
        except AlignScopeError as exc:
            self._column_problem = str(exc)  # e.g. no image column: the user chooses one below
        for role in ROLES:
            combo = QComboBox()
            combo.addItem(self.tr("(none)"), "")
            for h in t.header:
                combo.addItem(h, h)
            if role in self.detected:
                combo.setCurrentIndex(combo.findData(self.detected[role]))
            combo.currentIndexChanged.connect(self._mapping_changed)
            self.role_combos[role] = combo
            how_label = QLabel()
            how_label.setObjectName("Hint")
            how_label.setTextFormat(Qt.TextFormat.PlainText)
            self.role_how[role] = how_label
            row = QHBoxLayout()
            row.addWidget(combo, 1)
            row.addWidget(how_label, 1)
            self.mapping_form.addRow(self.role_labels().get(role, role), row)
        self.preview_model.setHorizontalHeaderLabels(list(t.header))
        for rec in t.records[:PREVIEW_ROWS]:
            self.preview_model.appendRow([QStandardItem(v[:80]) for v in rec.values])
        self._mapping_changed()

    def role_labels(self) -> dict[str, str]:
        return {"id": self.tr("Sample id"), "image": self.tr("Image path"), "report": self.tr("Report text"),
                "report_file": self.tr("Report file (.txt)")}

    def mapping(self) -> dict[str, str]:
        return {role: str(c.currentData()) for role, c in self.role_combos.items() if c.currentData()}

    def _show_guesses(self) -> None:
        """How each column was found, the id rule, the label: from the current choice."""
        from engine.dataset.loader import id_from_path

        mapping = self.mapping()
        for role, label in self.role_how.items():
            column = mapping.get(role)
            if column is None:
                label.setText("")
            elif column == self.detected.get(role):
                label.setText(guesses.how_text(self.detected_how.get(role, "")))
            else:
                label.setText(guesses.how_text("requested"))
        if self.table is None:
            return
        parts = [self._column_problem] if self._column_problem and "image" not in mapping else []
        if "id" not in mapping and "image" in mapping and self.table.records:
            index = list(self.table.header).index(mapping["image"])
            parts.append(guesses.id_rule_text(id_from_path(self.table.records[0].values[index].strip())))
        rows = [r.values for r in self.table.records]
        parts.append(guesses.label_text(guesses.label_choice_of(self.table.header, rows, set(mapping.values()))))
        self.guesses.setText("\n".join(parts))

    def _mapping_changed(self) -> None:
        self.dataset = None
        self.embed_button.setEnabled(False)
        used = set(self.mapping().values())
        for col in range(self.preview_model.columnCount()):
            header = self.preview_model.horizontalHeaderItem(col)
            if header is not None:
                f = header.font()
                f.setBold(header.text() in used)
                header.setFont(f)
        self._show_guesses()
        self.result_label.setText(self.tr("Press “Check the dataset” to validate every row before embedding."))

    # -- validation and embedding ---------------------------------------------------------
    def validate(self) -> Job:
        from engine.dataset import load_dataset

        target = Path(self.path_edit.text())
        self.validate_button.setEnabled(False)
        self.result_label.setText(self.tr("Checking every row…"))
        outside = [Path(target.anchor or "/")] if self.allow_outside.isChecked() else []
        job = Job(load_dataset, target, self.mapping() or None, allow_outside=outside,
                  encoding=self.chosen_encoding(), title=self.tr("Checking"))
        job.succeeded.connect(self._validated)
        job.failed.connect(lambda m, d: self._validation_failed(m))
        job.done.connect(lambda: self.validate_button.setEnabled(True))
        self._job = job
        job.start()
        return job

    def _validation_failed(self, message: str) -> None:
        self.result_label.setText(message)

    def _validated(self, ds: Any) -> None:
        from engine.dataset.label_choice import choose_label

        self.dataset = ds
        from engine.dataset.encoding import describe_encoding
        from engine.dataset.language import script_mix

        self.script_mix, _ = script_mix(s.report for s in ds.samples)
        self._update_language_warning()

        self.result_label.setText(self.tr("{0} good rows, {1} quarantined (encoding {2}). Quarantined rows are listed "
                                    "below and will not be embedded.").format(
            len(ds.samples), len(ds.quarantine), describe_encoding(ds.encoding)))
        self.quarantine_model.clear()
        from engine.study.messages_recorded import quarantine_reason
        from ui.i18n import active_language

        lang = active_language()
        if ds.kind == "folder":  # a folder has files, not rows
            self.quarantine_model.setHorizontalHeaderLabels([self.tr("File"), self.tr("Reason")])
            for q in ds.quarantine:
                self.quarantine_model.appendRow([QStandardItem(q.file),
                                                 QStandardItem(quarantine_reason(lang, q.reason))])
            example = ds.samples[0].id if ds.samples else None
            choice = choose_label({c: [s.labels.get(c, "") for s in ds.samples] for c in ds.columns})
            self.guesses.setText(guesses.folder_text(ds.id_rule, example) + "\n" + guesses.label_text(choice))
        else:
            self.quarantine_model.setHorizontalHeaderLabels([self.tr("Row"), self.tr("File"), self.tr("Reason")])
            for q in ds.quarantine:
                self.quarantine_model.appendRow([QStandardItem(str(q.row)), QStandardItem(q.file),
                                                 QStandardItem(quarantine_reason(lang, q.reason))])
        self.embed_button.setEnabled(bool(ds.samples))

    def start_embedding(self) -> Job | None:
        from engine.embed import run_embed

        if self.dataset is None:
            return None
        store = Path(self.store_edit.text())
        job = Job(run_embed, self.dataset, store, self.chosen_models("image") or None,
                  self.chosen_models("text") or None, title=self.tr("Embedding"))
        self.import_started.emit(job, store)
        self.accept()
        return job

    def done(self, r: int) -> None:
        if self._job is not None and self._job.is_running():
            self._job.cancel()
            self._job.wait(5_000)
        super().done(r)
