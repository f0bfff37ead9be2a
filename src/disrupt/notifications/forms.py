from django import forms

from disrupt.notifications.models import NotificationPreference


class PreferenceForm(forms.ModelForm[NotificationPreference]):
    class Meta:
        model = NotificationPreference
        fields = ["email_enabled"]
        # The page says it in a paragraph above the box, which reads better on a phone.
        help_texts = {"email_enabled": ""}
