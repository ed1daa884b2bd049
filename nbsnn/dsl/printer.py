def to_text(net): raise NotImplementedError
