"""A software passkey for server-side tests: a real P-256 key that answers the server's
WebAuthn options the way a phone does (attestation "none"), so the library's verification
runs for real. The browser journeys use Chromium's own virtual authenticator instead."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

UP, UV, AT = (
    0x01,
    0x04,
    0x40,
)  # authenticator data flags: user present, verified, attested


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftPasskey:
    def __init__(self, rp_id: str = "localhost", origin: str = "http://localhost"):
        self.rp_id = rp_id
        self.origin = origin
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.sign_count = 0

    def cose_public_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,  # kty: EC2
                3: -7,  # alg: ES256
                -1: 1,  # crv: P-256
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def private_key_pkcs8(self) -> str:
        """For Chromium's WebAuthn.addCredential (standard base64)."""
        der = self.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return base64.b64encode(der).decode()

    def _authenticator_data(self, flags: int, attested: bytes = b"") -> bytes:
        rp_hash = hashlib.sha256(self.rp_id.encode()).digest()
        return rp_hash + bytes([flags]) + self.sign_count.to_bytes(4, "big") + attested

    def _client_data(self, kind: str, options: dict[str, Any]) -> bytes:
        return json.dumps(
            {
                "type": kind,
                "challenge": options["challenge"],
                "origin": self.origin,
                "crossOrigin": False,
            }
        ).encode()

    def register(self, options: dict[str, Any]) -> dict[str, Any]:
        """The answer to navigator.credentials.create() for the server's options."""
        client_data = self._client_data("webauthn.create", options)
        attested = (
            bytes(16)  # AAGUID: none
            + len(self.credential_id).to_bytes(2, "big")
            + self.credential_id
            + self.cose_public_key()
        )
        auth_data = self._authenticator_data(UP | UV | AT, attested)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {"credProps": {"rk": True}},
            "authenticatorAttachment": "platform",
        }

    def sign_in(self, options: dict[str, Any]) -> dict[str, Any]:
        """The answer to navigator.credentials.get() for the server's options."""
        self.sign_count += 1
        client_data = self._client_data("webauthn.get", options)
        auth_data = self._authenticator_data(UP | UV)
        signature = self.key.sign(
            auth_data + hashlib.sha256(client_data).digest(),
            ec.ECDSA(hashes.SHA256()),
        )
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }

    def stored_for(self, user: Any) -> Any:
        """The passkey as if registered earlier (for sign-in tests)."""
        from django_otp_webauthn.models import WebAuthnCredential

        return WebAuthnCredential.objects.create(
            user=user,
            name="telefoon",
            confirmed=True,
            credential_id=self.credential_id,
            public_key=self.cose_public_key(),
            sign_count=0,
            transports=["internal"],
            aaguid="00000000-0000-0000-0000-000000000000",
        )


def phone() -> Any:
    """A test client on the passkey domain (the RP ID is localhost in development)."""
    from django.test import Client as HttpClient

    return HttpClient(HTTP_HOST="localhost")


def post_json(http: Any, url: str, data: dict[str, Any] | None = None) -> Any:
    return http.post(url, json.dumps(data or {}), content_type="application/json")
