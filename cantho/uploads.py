"""Uploads checked by content, not by name: images through Pillow, documents as PDF.

``UploadCheckingForm`` is the ModelForm base of every record admin.
"""

from __future__ import annotations

from django import forms


class UploadCheckingForm(forms.ModelForm):
    """ModelForm base for record admins: checks every uploaded file and requires alt text for shown images."""
