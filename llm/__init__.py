"""The LLM layer: where a model lives (Endpoint), what the rest of mlsd asks of it
(ChatClient) and the providers that answer (one module each; only they import an SDK)."""
