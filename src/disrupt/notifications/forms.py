from django import forms

from disrupt.notifications.models import NotificationPreference


class PreferenceForm(forms.ModelForm[NotificationPreference]):
    class Meta:
        model = NotificationPreference
        fields = ["email_enabled"]
