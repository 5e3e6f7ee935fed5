"""Patient-education chatbot about MDMA-assisted therapy."""
