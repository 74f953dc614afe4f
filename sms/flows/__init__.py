"""Conversation flows. Each `handle(turn)` answers a message inside its flow; `start` opens it."""
