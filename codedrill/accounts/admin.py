from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from codedrill.accounts.models import LoginFailure, User


@admin.register(User)
class LearnerAdmin(UserAdmin):
    list_display = ("username", "email", "is_guest", "is_staff", "date_joined", "last_login")
    list_filter = ("is_guest", "is_staff", "is_superuser", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("Learner", {"fields": ("is_guest",)}))


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ("username", "address", "created")
    search_fields = ("username", "address")
