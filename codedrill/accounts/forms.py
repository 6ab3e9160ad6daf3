from django import forms
from django.contrib.auth.forms import UserCreationForm

from codedrill.accounts.models import GUEST_PREFIX, User


class SignupForm(UserCreationForm):
    email = forms.EmailField(required=False, help_text="Optional.")

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_username(self) -> str:
        # None when the name is taken: Django has recorded that error already.
        username = super().clean_username()
        if username and username.lower().startswith(GUEST_PREFIX):
            raise forms.ValidationError(f"Usernames starting with “{GUEST_PREFIX}” are reserved.")
        return username


class LoginForm(forms.Form):
    username = forms.CharField(max_length=150)
    password = forms.CharField(strip=False, widget=forms.PasswordInput)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        strip=False, widget=forms.PasswordInput, help_text="Type your password to confirm."
    )

    def __init__(self, user: User, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if user.is_guest:
            del self.fields["password"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
