"""Tenants: the municipalities one deployment serves, each with its own pack, departments,
offices, staff, register, audit chain and keys.

Every project model derives from tenants.models.TenantModel: a `tenant` column on each row,
set on save from the current tenant, and a default manager that shows the current tenant's
rows only. The current tenant is a context variable (tenants.scope): the web's middleware
sets it from the logged-in staff, the API token, or the public page's host or path
(madoguchi.middleware.TenantMiddleware); commands and background loops set it for each
tenant they work on (tenants.scope.use, tenants.scope.each). Unset, it is the default tenant,
which the first migration creates for the rows that existed before tenants: a deployment
with one municipality never names one.

This app sits just above lib: every other app may use it, it imports none of them.
"""
