"""Thin webhook views: parse the call (`ivr.call`), call a domain service, build TwiML."""
